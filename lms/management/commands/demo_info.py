"""Print where the site runs and which demo accounts to sign in with."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from people.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the site URL and the demo sign-ins."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, **options):
        url = options["url"]
        users = {
            user.username: user
            for user in get_user_model()
            .objects.filter(username__in=["admin", "pengajar", "supervisor", "peserta"])
            .select_related("asn_profile")
        }
        rows = [
            ("admin", "Admin BPSDM (semua akses)", f"{url}admin/"),
            ("pengajar", "Pengajar", f"{url}admin/"),
            ("supervisor", "Supervisor (Dinas Kesehatan)", f"{url}admin/laporan/"),
            ("peserta", "Peserta", f"{url}masuk/"),
        ]
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"LMS ASN Provinsi Jambi berjalan di {url}"))
        self.stdout.write(f"Kata sandi semua akun demo: {DEMO_PASSWORD}")
        for username, role, where in rows:
            user = users.get(username)
            if user is None:
                continue
            profile = getattr(user, "asn_profile", None)
            nip = f"  NIP {profile.nip_formatted}" if profile else ""
            self.stdout.write(f"  {role:<30} nama pengguna: {username:<11}{nip}  → {where}")
        self.stdout.write("Peserta lain masuk dengan NIP-nya (lihat Admin → Kepegawaian → ASN).")
        self.stdout.write("")
