"""Recruitment's critical paths in a real browser (headless Chromium) with axe-core:
(a) an applicant registers, fills the profile, uploads a document and applies, on a 360-px phone;
(b) an independent observer logs in with the second factor and signs off a stage's score sheet."""

import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from recruitment.models import ApplicantProfile, Application, Document, SignOff

from ..conftest import PASSWORD
from ..recruitment.factories import assign, make_application, make_selection, nik_for
from .conftest import DESKTOP, PHONE, axe_violations, log_in, no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def check_page(page, checked: list[str]) -> None:
    """No serious or critical axe violation, no horizontal scroll on the phone, no console error."""
    page.wait_for_load_state("networkidle")
    assert page.errors == [], (page.url, page.errors)
    assert axe_violations(page) == [], page.url
    if page.viewport_size["width"] <= PHONE["width"]:
        assert no_horizontal_scroll(page), page.url
    checked.append(page.url)


def test_an_applicant_registers_fills_the_profile_uploads_and_applies_on_a_phone(open_page, cast, media):
    import datetime as dt

    selection = make_selection(region=cast.region_a, quota=2, formations=2, created_by=cast.users["hr"])
    formation = selection.formations.order_by("pk").last()
    page = open_page(PHONE)
    checked: list[str] = []

    page.goto(f"/rekrutmen/seleksi/{selection.pk}/")
    check_page(page, checked)
    page.goto("/rekrutmen/daftar/")
    check_page(page, checked)
    page.fill("input[name=full_name]", "Rina Marlina")
    page.fill("input[name=email]", "rina@example.id")
    page.fill("input[name=password]", "Kuat-Sekali-2026!")
    page.fill("input[name=password_again]", "Kuat-Sekali-2026!")
    page.click("main button[type=submit]")
    page.wait_for_url("**/rekrutmen/pelamar/data/")
    check_page(page, checked)

    # A wrong NIK first: a clear message, nothing saved, and the page stays accessible.
    page.fill("input[name=nik]", "1771011302980001")
    page.fill("input[name=birth_date]", "1998-05-17")
    page.fill("textarea[name=address]", "Jl. Sudirman 10, Bengkulu")
    page.fill("input[name=phone]", "081234567890")
    page.fill("input[name=education]", "S1 Psikologi")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "NIK" in page.locator("main").inner_text()
    check_page(page, checked)
    assert not ApplicantProfile.objects.get(user__username="rina@example.id").nik

    page.fill("input[name=nik]", nik_for(dt.date(1998, 5, 17), 7))
    page.click("main button[type=submit]")
    page.wait_for_url("**/rekrutmen/pelamar/")
    check_page(page, checked)

    page.click("a[href='/rekrutmen/pelamar/dokumen/']")
    page.wait_for_url("**/rekrutmen/pelamar/dokumen/")
    check_page(page, checked)
    page.select_option("select[name=kind]", "ktp")
    page.set_input_files(
        "input[name=file]", {"name": "ktp.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.click("main button[type=submit]")
    page.wait_for_url("**/rekrutmen/pelamar/")
    assert Document.objects.filter(profile__user__username="rina@example.id").count() == 1

    page.goto(f"/rekrutmen/seleksi/{selection.pk}/lamar/")
    check_page(page, checked)
    page.select_option("select[name=formation]", str(formation.pk))
    page.click("main button[type=submit]")
    page.wait_for_url("**/rekrutmen/pelamar/")
    check_page(page, checked)
    application = Application.objects.get(user__username="rina@example.id")
    assert application.formation == formation
    assert application.participant_number in page.locator("main").inner_text()
    assert len(checked) == 8


def otp_code(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_observer_logs_in_with_the_second_factor_and_signs_off_a_score_sheet(
    open_page, cast, viewport, settings
):
    settings.TWO_FACTOR_REQUIRED = True  # as in production
    observer = cast.users["observer"]
    TOTPDevice.objects.create(user=observer, name="HP", confirmed=True)
    selection = make_selection(region=cast.region_a, quota=1, created_by=cast.users["hr"])
    for _ in range(3):
        make_application(selection.formations.get(), by=cast.users["hr"], skd=(100, 120, 180))
    assign("observer", selection=selection, user=observer)
    page = open_page(viewport)
    checked: list[str] = []

    log_in(page, observer.username)
    assert "/akun/2fa/verifikasi/" in page.url
    check_page(page, checked)
    page.fill("input[name=token]", otp_code(observer))
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")

    page.goto("/rekrutmen/pengamat/")
    check_page(page, checked)
    page.click(f"a[href='/rekrutmen/pengamat/{selection.pk}/']")
    page.wait_for_url(f"**/rekrutmen/pengamat/{selection.pk}/")
    check_page(page, checked)
    page.select_option("select[name=stage]", "skd")
    page.fill("input[name=note]", "Lembar nilai SKD sesuai berita acara CAT.")
    page.click("form[action$='/tanda-tangan/'] button[type=submit]")
    page.wait_for_url(f"**/rekrutmen/pengamat/{selection.pk}/")
    check_page(page, checked)
    signoff = SignOff.objects.get(selection=selection)
    assert signoff.stage == "skd" and signoff.observer == observer
    assert "SKD" in page.locator("main").inner_text()
    assert len(checked) == 4


def test_every_other_recruitment_page_is_accessible_on_a_phone(open_page, cast, media):
    """The public, applicant, HR, observer and panel pages of a selection with data, at 360 px."""
    import datetime as dt

    from django.utils import timezone

    hr = cast.users["hr"]
    now = timezone.now()
    selection = make_selection(
        region=cast.region_a,
        quota=1,
        created_by=hr,
        objection_opens=now - dt.timedelta(days=1),
        objection_closes=now + dt.timedelta(days=3),
    )
    formation = selection.formations.get()
    apps = [make_application(formation, by=hr, skd=(100 + i, 120, 180)) for i in range(4)]
    assign("observer", selection=selection, user=cast.users["observer"])
    assign("panel", selection=selection, user=cast.users["panel"])
    mine = make_application(formation, by=hr, skd=(90, 100, 170))
    mine.user.set_password(PASSWORD)
    mine.user.save()
    checked: list[str] = []
    pages = {
        None: [
            "/rekrutmen/",
            f"/rekrutmen/seleksi/{selection.pk}/formasi/{formation.pk}/peringkat/",
            "/rekrutmen/rekam-jejak/",
        ],
        mine.user.username: ["/rekrutmen/pelamar/", f"/rekrutmen/pelamar/lamaran/{mine.pk}/sanggah/"],
        hr.username: [
            "/rekrutmen/kelola/",
            f"/rekrutmen/kelola/{selection.pk}/",
            f"/rekrutmen/kelola/{selection.pk}/impor-skd/",
            f"/rekrutmen/kelola/lamaran/{apps[0].pk}/administrasi/",
        ],
        cast.users["observer"].username: [f"/rekrutmen/pengamat/{selection.pk}/pengamatan/"],
        cast.users["panel"].username: ["/rekrutmen/penguji/"],
    }
    for username, urls in pages.items():
        page = open_page(PHONE)
        if username:
            log_in(page, username)
        for url in urls:
            page.goto(url)
            check_page(page, checked)
    assert len(checked) == 11
