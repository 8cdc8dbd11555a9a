"""Replace Wagtail's placeholder welcome page with our HomePage and point the default site at it."""

from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("lms.HomePage")

    # The welcome page Wagtail's own migrations create; delete it if it is still there.
    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()

    if HomePage.objects.exists():
        return
    homepage_content_type, _created = ContentType.objects.get_or_create(model="homepage", app_label="lms")
    locale = Locale.objects.order_by("pk").first()
    root = Page.objects.get(depth=1)
    # Treebeard's API is not available to historical models: compute the next child path by hand.
    sibling_paths = Page.objects.filter(depth=2).values_list("path", flat=True)
    next_number = max((int(path[4:8], 36) for path in sibling_paths), default=0) + 1
    path = root.path + _base36(next_number)
    homepage = HomePage.objects.create(
        title="Beranda",
        draft_title="Beranda",
        slug="beranda",
        content_type=homepage_content_type,
        path=path,
        depth=2,
        numchild=0,
        url_path="/beranda/",
        locale=locale,
        live=True,
        intro=(
            "<p>Platform belajar mandiri bagi Aparatur Sipil Negara di lingkungan Provinsi Jambi. "
            "Ikuti kursus, kumpulkan Jam Pelajaran (JP), dan capai target 20 JP setiap tahun.</p>"
        ),
    )
    Page.objects.filter(pk=root.pk).update(numchild=Page.objects.filter(depth=2).count())
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "root_page_id": homepage.pk, "site_name": "LMS ASN Provinsi Jambi"},
    )


def _base36(number: int) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    digits = ""
    while number:
        number, remainder = divmod(number, 36)
        digits = alphabet[remainder] + digits
    return digits.rjust(4, "0")


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0001_initial"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [migrations.RunPython(create_homepage, migrations.RunPython.noop)]
