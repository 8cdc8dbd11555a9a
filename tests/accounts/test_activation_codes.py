"""The admin screen that hands out activation codes: who may use it, for whom, and the sheet."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts import codes
from accounts.models import ActivationCode
from people.roles import ADMIN_BPSDM, PENGAJAR, PESERTA, SUPERVISOR
from tests.factories import ASNProfileFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "activation_codes:index"


def imported(unit, name):
    profile = ASNProfileFactory(unit=unit, full_name=name)
    profile.user.set_unusable_password()
    profile.user.activated_at = None
    profile.user.save()
    return profile


@pytest.fixture
def province():
    root = UnitFactory(name="Pemprov Jambi")
    dinas = UnitFactory(parent=root, name="Dinas Kesehatan")
    bidang = UnitFactory(parent=dinas, name="Bidang P2P")
    other = UnitFactory(parent=root, name="Dinas Pendidikan")
    people = {
        "dinas": imported(dinas, "Andi Dinas"),
        "bidang": imported(bidang, "=Budi Bidang"),
        "other": imported(other, "Citra Lain"),
        "active": ASNProfileFactory(unit=bidang, full_name="Dedi Aktif"),
    }
    people["active"].user.activated_at = timezone.now()
    people["active"].user.save()
    supervisor = UserFactory(roles=[SUPERVISOR], activated_at=timezone.now())
    ASNProfileFactory(user=supervisor, unit=dinas).supervised_units.add(dinas)
    return {"root": root, "dinas": dinas, "bidang": bidang, "other": other, "people": people, "supervisor": supervisor}


def sheet_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_a_supervisor_gets_codes_for_the_not_yet_activated_of_their_subtree_only(client, province):
    client.force_login(province["supervisor"])
    page = client.get(reverse(URL))
    assert page.status_code == 200
    choices = page.context["form"].fields["unit"].queryset
    assert set(choices) == {province["dinas"], province["bidang"]}

    response = client.post(reverse(URL), {"unit": province["dinas"].pk, "days": 14, "sheet_format": "xlsx"})
    header, rows = sheet_rows(response)
    assert header[0] == "NIP" and header[3] == "Kode aktivasi"
    names = [row[1] for row in rows]
    assert names == ["Andi Dinas", "'=Budi Bidang"]  # formula-safe, the active one left out
    assert "no-store" in response["Cache-Control"]
    # Each printed code activates its own person.
    for row in rows:
        profile = province["people"]["dinas" if row[1] == "Andi Dinas" else "bidang"]
        assert row[0] == profile.nip
        stored = ActivationCode.objects.usable().get(user_id=profile.user_id)
        assert stored.digest == codes.digest(user_id=profile.user_id, code=row[3])
    assert not ActivationCode.objects.filter(user_id=province["people"]["other"].user_id).exists()


def test_a_supervisor_cannot_post_a_unit_outside_their_subtree(client, province):
    client.force_login(province["supervisor"])
    response = client.post(reverse(URL), {"unit": province["other"].pk, "days": 14, "sheet_format": "xlsx"})
    assert response.status_code == 200 and response.context["form"].errors["unit"]
    assert not ActivationCode.objects.exists()


def test_admin_bpsdm_covers_the_province_and_an_all_active_unit_says_so(client, province):
    admin = UserFactory(roles=[ADMIN_BPSDM])
    client.force_login(admin)
    _header, rows = sheet_rows(
        client.post(reverse(URL), {"unit": province["root"].pk, "days": 30, "sheet_format": "xlsx"})
    )
    assert len(rows) == 3
    for profile in province["people"].values():
        profile.user.activated_at = profile.user.activated_at or profile.user.date_joined
        profile.user.save()
    response = client.post(reverse(URL), {"unit": province["root"].pk, "days": 30, "sheet_format": "xlsx"})
    assert response.status_code == 200
    assert "sudah mengaktifkan" in response.content.decode()


@pytest.mark.parametrize("roles", [[PESERTA], [PENGAJAR, PESERTA]])
def test_learners_and_trainers_are_turned_away(client, province, roles):
    client.force_login(UserFactory(roles=roles))
    response = client.post(reverse(URL), {"unit": province["root"].pk, "days": 30, "sheet_format": "xlsx"})
    assert response.status_code in (302, 403)
    assert not ActivationCode.objects.exists()


def test_invalid_days_are_refused_with_a_message(client, province):
    client.force_login(UserFactory(roles=[ADMIN_BPSDM]))
    response = client.post(reverse(URL), {"unit": province["root"].pk, "days": 0, "sheet_format": "xlsx"})
    assert response.status_code == 200 and response.context["form"].errors["days"]
    assert not ActivationCode.objects.exists()


def pdf_text(response) -> str:
    from pypdf import PdfReader

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('.pdf"') and "no-store" in response["Cache-Control"]
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_the_pdf_sheet_has_a_slip_per_person_with_a_code_that_activates(client, province):
    admin = UserFactory(roles=[ADMIN_BPSDM], activated_at=timezone.now())
    province["people"]["dinas"].full_name = "Siti Rahmā, S.E., M.Si."  # beyond Latin-1
    province["people"]["dinas"].save()
    client.force_login(admin)
    text, pages = pdf_text(client.post(reverse(URL), {"unit": province["root"].pk, "days": 30, "sheet_format": "pdf"}))
    assert pages == 1
    assert "Siti Rahmā, S.E., M.Si." in text and "=Budi Bidang" in text and "Dedi Aktif" not in text
    printed = set(re_codes(text))
    assert len(printed) == 3, "one slip per person not yet activated"
    assert "Berlaku sampai" in text and "WIB" in text and "http://testserver/aktivasi/" in text
    nip = province["people"]["dinas"].nip
    matched = [
        code
        for code in printed
        if ActivationCode.objects.usable()
        .filter(
            user__asn_profile__nip=nip,
            digest=codes.digest(user_id=province["people"]["dinas"].user_id, code=code.replace("-", "")),
        )
        .exists()
    ]
    assert len(matched) == 1, "the slip's code is the one stored for that person"


def re_codes(text):
    import re

    return re.findall(rf"\b[{codes.ALPHABET}]{{4}}-[{codes.ALPHABET}]{{4}}\b", text)


def test_many_people_fill_pages_of_ten_slips(client, province):
    for index in range(21):
        imported(province["other"], f"Peserta {index:02d}")
    admin = UserFactory(roles=[ADMIN_BPSDM], activated_at=timezone.now())
    client.force_login(admin)
    text, pages = pdf_text(client.post(reverse(URL), {"unit": province["other"].pk, "days": 30, "sheet_format": "pdf"}))
    assert pages == 3 and len(re_codes(text)) == 22


def test_a_supervisor_emails_activation_links_to_their_subtree_and_is_told_who_still_needs_a_code(client, province):
    from django.core import mail
    from wagtail.models import ModelLogEntry

    from accounts import audit

    people = province["people"]
    people["bidang"].user.email = ""  # no address in the roster
    people["bidang"].user.save()
    client.force_login(province["supervisor"])
    response = client.post(
        reverse(URL),
        {"unit": province["dinas"].pk, "days": 30, "sheet_format": "pdf", "action": "email"},
        follow=True,
    )
    assert response.status_code == 200
    assert [message.to for message in mail.outbox] == [[people["dinas"].user.email]]
    shown = [str(message) for message in response.context["messages"]]
    assert shown == ["Tautan aktivasi dikirim ke 1 orang.", "1 orang tidak punya alamat email: berikan kode."]
    assert "/aktivasi/email/" in mail.outbox[0].body
    entry = ModelLogEntry.objects.get(action=audit.LINKS_SENT)
    assert entry.object_id == str(province["dinas"].pk) and entry.data == {"people": 1}
    assert not ActivationCode.objects.exists(), "no codes are made by sending links"


def test_sending_links_to_a_unit_outside_the_scope_or_with_email_off_is_refused(client, province, settings):
    from django.core import mail

    client.force_login(province["supervisor"])
    outside = client.post(
        reverse(URL), {"unit": province["other"].pk, "days": 30, "sheet_format": "pdf", "action": "email"}
    )
    assert outside.status_code == 200 and outside.context["form"].errors["unit"]
    settings.LMS_ACTIVATION_METHODS = {"code"}
    assert "Kirim tautan aktivasi" not in client.get(reverse(URL)).content.decode()
    refused = client.post(
        reverse(URL), {"unit": province["dinas"].pk, "days": 30, "sheet_format": "pdf", "action": "email"}
    )
    # Wagtail turns the refusal into its "no permission" redirect to the dashboard.
    assert (refused.status_code, refused["Location"]) == (302, "/admin/") and not mail.outbox
