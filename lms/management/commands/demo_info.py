"""Print where the site runs and which demo accounts to sign in with."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from people.demo import DEMO_PASSWORD


def catalogue_url(base_url: str) -> str | None:
    """The real address of the course catalogue (a page's URL, not its tree path)."""
    from courses.models import CourseIndexPage

    catalogue = CourseIndexPage.objects.live().first()
    if catalogue is None:
        return None
    relative = catalogue.get_url(request=None, current_site=None) or ""
    if relative.startswith("http"):
        return relative
    return base_url.rstrip("/") + relative


def demo_info_lines(url: str) -> list[str]:
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
    lines = [f"LMS ASN Provinsi Jambi berjalan di {url}"]
    catalogue = catalogue_url(url)
    if catalogue:
        lines.append(f"Katalog kursus: {catalogue}")
    lines.append(f"Kata sandi semua akun demo: {DEMO_PASSWORD}")
    for username, role, where in rows:
        user = users.get(username)
        if user is None:
            continue
        profile = getattr(user, "asn_profile", None)
        nip = f"  NIP {profile.nip_formatted}" if profile else ""
        lines.append(f"  {role:<30} nama pengguna: {username:<11}{nip}  → {where}")
    lines.append("Peserta lain masuk dengan NIP-nya (lihat Admin → Kepegawaian → ASN).")
    lines.append("Berhenti: Ctrl-C. Data demo dari awal lagi: make reset-demo, lalu make run.")
    return lines


class Command(BaseCommand):
    help = "Print the site URL and the demo sign-ins."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, **options):
        lines = demo_info_lines(options["url"])
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(lines[0]))
        for line in lines[1:]:
            self.stdout.write(line)
        self.stdout.write("")
