import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from asnportal.accounts.models import User
from recruitment.models import Application, ScreeningDecision, SkbScore, SkdScore
from tests.security.test_exports import pdf_text

from .factories import assign, make_application, make_selection, nik_for

pytestmark = pytest.mark.django_db

# A stated purpose: exports of other people's data ask for one (asnportal/accounts/exports.py).


def bulk_applicants(selection, n: int, by) -> None:
    """n screened-in applicants with SKD scores, and SKB scores for the first 3 x quota."""
    formation = selection.formations.get()
    users = User.objects.bulk_create(
        [User(username=f"massal{selection.pk}-{i}", email=f"m{i}@example.id") for i in range(n)]
    )
    apps = Application.objects.bulk_create(
        [
            Application(
                selection=selection,
                formation=formation,
                user=u,
                participant_number=f"M{i:07d}",
                full_name=f"Peserta {i}",
                nik=nik_for(dt.date(1990 + i % 10, 1 + i % 12, 1 + i % 28), i),
                birth_date=dt.date(1990 + i % 10, 1 + i % 12, 1 + i % 28),
            )
            for i, u in enumerate(users)
        ]
    )
    ScreeningDecision.objects.bulk_create(
        [ScreeningDecision(application=a, met=True, reason="lengkap", decided_by=by) for a in apps]
    )
    SkdScore.objects.bulk_create(
        [
            SkdScore(application=a, twk=60 + i % 90, tiu=75 + i % 100, tkp=160 + i % 65, created_by=by)
            for i, a in enumerate(apps)
        ]
    )
    SkbScore.objects.bulk_create(
        [
            SkbScore(application=a, panel_member=by, score=Decimal(50 + i % 50), items={})
            for i, a in enumerate(apps[:300])
        ]
    )


def ranking_queries(client, selection) -> int:
    url = reverse("recruitment:public_ranking", args=[selection.pk, selection.formations.get().pk])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_ranking_page_query_count_is_constant_with_10000_applicants(cast, django_assert_max_num_queries):
    """Guards an N+1 over ranking rows: the ranking is one SQL statement whatever the size."""
    small = make_selection(region=cast.region_a, quota=5)
    bulk_applicants(small, 10, cast.users["hr"])
    large = make_selection(region=cast.region_a, quota=100)
    bulk_applicants(large, 10_000, cast.users["hr"])
    client = cast.client("anonymous")
    baseline = ranking_queries(client, small)
    url = reverse("recruitment:public_ranking", args=[large.pk, large.formations.get().pk])
    with django_assert_max_num_queries(baseline):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 10_000
    assert len(response.context["rows"]) == 100
    assert response.context["rows"][0].final_rank == 1


def test_public_pages_never_show_personal_data(cast):
    selection = make_selection(region=cast.region_a)
    a = make_application(
        selection.formations.get(), name="Rahasia Pribadi", skd=(100, 100, 200), birth=dt.date(1993, 7, 9)
    )
    client = cast.client("anonymous")
    pages = [
        reverse("recruitment:public_selection", args=[selection.pk]),
        reverse("recruitment:public_ranking", args=[selection.pk, a.formation_id]),
        reverse("recruitment:ledger_verify"),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert a.nik not in html and "1993-07-09" not in html and "9 Jul 1993" not in html
    assert "Rahasia Pribadi" in client.get(pages[1]).content.decode()


def test_exports(cast):
    selection = make_selection(region=cast.region_a)
    app = make_application(selection.formations.get(), name="Ekspor", skd=(100, 100, 200))
    SkbScore.objects.create(application=app, panel_member=cast.users["panel"], score=Decimal(80), items={})
    client = cast.client("anonymous")
    # The published announcement downloads directly: no purpose form, nothing more than the page shows.
    xlsx = client.get(reverse("recruitment:export", args=[selection.pk, "ranking", "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "Ekspor" in values and app.nik not in values
    # both rule versions the ranking used are named under the title, as on the pages (issue 20)
    rules = sheet.cell(row=2, column=1).value
    assert rules.startswith("Aturan: ") and "SKD v1" in rules and "SKB v1" in rules, rules
    pdf = client.get(reverse("recruitment:export", args=[selection.pk, "skd", "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content)  # without whitespace
    assert "Aturan:" in text and "SKDv1" in text and "SKBv1" in text, text[:300]
    assert client.get(reverse("recruitment:export", args=[selection.pk, "other", "pdf"])).status_code == 404


def test_observer_outside_period_or_selection_gets_404(cast):
    selection = make_selection(region=cast.region_a)
    other = make_selection(region=cast.region_a)
    assign("observer", selection=selection, user=cast.users["observer"], days_before=1, days_after=5)
    client = cast.client("observer")
    assert client.get(reverse("recruitment:observer_selection", args=[selection.pk])).status_code == 200
    assert client.get(reverse("recruitment:observer_selection", args=[other.pk])).status_code == 404
    for days in (7, -3):  # after the assignment ends, before it starts
        with time_machine.travel(timezone.now() + dt.timedelta(days=days)):
            client = cast.client("observer")
            assert (
                client.get(reverse("recruitment:observer_selection", args=[selection.pk])).status_code == 404
            )


def test_panel_member_of_another_selection_gets_404(cast):
    selection = make_selection(region=cast.region_a)
    app = make_application(selection.formations.get())
    assert cast.client("panel").get(reverse("recruitment:skb_score", args=[app.pk])).status_code == 404


def test_import_page_lists_row_errors_in_indonesian_and_saves_nothing(cast):
    selection = make_selection(region=cast.region_a)
    a = make_application(selection.formations.get())
    text = f"nomor_peserta,twk,tiu,tkp\n{a.participant_number},65,80,226\nX9,65,80,166\n"
    response = cast.client("hr").post(
        reverse("recruitment:skd_import", args=[selection.pk]),
        {"file": SimpleUploadedFile("cat.csv", text.encode())},
    )
    assert response.status_code == 400
    assert response.context["row_errors"][0].startswith("Baris 2")
    assert "tidak terdaftar" in response.content.decode()
    assert not SkdScore.objects.exists()


def test_upload_page_refuses_a_disguised_file(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = cast.client("applicant").post(
        reverse("recruitment:document_upload"),
        {"kind": "ktp", "file": SimpleUploadedFile("ktp.pdf", b"<html>not a pdf</html>")},
    )
    assert response.status_code == 200
    assert "PDF, JPEG atau PNG" in response.content.decode()
    assert not list(tmp_path.rglob("*.*"))


def test_registration_refuses_mismatched_passwords(cast):
    response = cast.client("anonymous").post(
        reverse("recruitment:register"),
        {"full_name": "A", "email": "a@example.id", "password": "Rahasia-2026!", "password_again": "lain"},
    )
    assert response.status_code == 200 and not User.objects.filter(username="a@example.id").exists()


@pytest.mark.parametrize(
    ("role", "url_name"),
    [
        ("observer", "recruitment:observer_home"),
        ("panel", "recruitment:panel_queue"),
        ("applicant", "recruitment:applicant_dashboard"),
    ],
)
def test_role_homes(cast, role, url_name):
    response = cast.client(role).get("/")
    assert response.status_code == 302 and response.url == reverse(url_name)


def test_anonymous_front_page_lists_public_recruitment_pages(cast):
    html = cast.client("anonymous").get("/").content.decode()
    assert reverse("recruitment:public_selections") in html and reverse("recruitment:ledger_verify") in html


def test_officer_reads_of_personal_data_and_score_writes_are_audit_logged(cast, settings, tmp_path):
    from asnportal.accounts.models import AuditEvent
    from recruitment import services

    settings.MEDIA_ROOT = tmp_path
    selection = make_selection(region=cast.region_a)
    app = make_application(selection.formations.get(), screened=None)
    profile = app.user.applicant
    doc = services.document_upload(
        profile=profile, kind="ktp", upload=SimpleUploadedFile("k.pdf", b"%PDF-1.4\n%%EOF\n")
    )
    hr = cast.client("hr")
    page = hr.get(reverse("recruitment:screen", args=[app.pk]))
    assert app.nik in page.content.decode()
    assert hr.get(reverse("recruitment:document_file", args=[doc.pk])).status_code == 200
    assert cast.client("hr_other").get(reverse("recruitment:document_file", args=[doc.pk])).status_code == 404
    hr.post(reverse("recruitment:screen", args=[app.pk]), {"met": "1", "reason": "Lengkap"})
    actions = list(AuditEvent.objects.filter(user=cast.users["hr"]).values_list("action", flat=True))
    assert actions.count("read_personal") == 2 and "score_write" in actions


def test_hr_opens_a_selection_of_its_region_with_formations_and_announcements(cast):
    from recruitment.models import Selection

    hr = cast.client("hr")
    data = {
        "year": 2027,
        "name": "Seleksi PPPK Guru",
        "twk_min": 65,
        "tiu_min": 80,
        "tkp_min": 166,
        "w_skd": "0.40",
        "w_skb": "0.60",
    }
    refused = hr.post(reverse("recruitment:selection_create"), {**data, "region": cast.region_b.pk})
    assert refused.status_code == 200 and not Selection.objects.exists()
    response = hr.post(reverse("recruitment:selection_create"), {**data, "region": cast.region_a.pk})
    selection = Selection.objects.get()
    assert response.url == reverse("recruitment:formation_add", args=[selection.pk])
    wrong = hr.post(
        reverse("recruitment:formation_add", args=[selection.pk]),
        {"position": cast.objects["position_b"].pk, "unit": cast.unit_a.pk, "education": "S1", "quota": 2},
    )
    assert wrong.status_code == 200 and not selection.formations.exists()
    hr.post(
        reverse("recruitment:formation_add", args=[selection.pk]),
        {
            "position": cast.objects["position_a"].pk,
            "unit": cast.unit_a.pk,
            "education": "S1 Pendidikan",
            "quota": 2,
        },
    )
    assert selection.formations.get().quota == 2
    hr.post(
        reverse("recruitment:announcement_create", args=[selection.pk]),
        {"title": "Jadwal SKD", "body": "Tanggal 1"},
    )
    public = (
        cast.client("anonymous")
        .get(reverse("recruitment:public_selection", args=[selection.pk]))
        .content.decode()
    )
    assert "Jadwal SKD" in public and "S1 Pendidikan" in public
    assert selection.ledger.filter(kind="announcement").exists()


def test_an_applicants_pages_write_nothing_on_get_and_the_first_save_makes_the_profile(cast):
    """No write on GET: the dashboard and the forms show an unsaved profile until the applicant saves."""
    from recruitment.models import ApplicantProfile

    user = cast.users["applicant"]
    ApplicantProfile.objects.filter(user=user).delete()
    client = cast.client("applicant")
    for name in ("applicant_dashboard", "applicant_profile", "document_upload"):
        assert client.get(reverse(f"recruitment:{name}")).status_code == 200
    assert not ApplicantProfile.objects.filter(user=user).exists()
    birth = dt.date(1996, 3, 4)
    response = client.post(
        reverse("recruitment:applicant_profile"),
        {
            "full_name": "Rina Pelamar",
            "nik": nik_for(birth, 41),
            "birth_date": birth.isoformat(),
            "address": "Jl. Merdeka 1",
            "phone": "081234567890",
            "education": "S1",
        },
    )
    assert response.status_code == 302
    profile = ApplicantProfile.objects.get(user=user)
    assert (profile.full_name, profile.birth_date, profile.is_complete) == ("Rina Pelamar", birth, True)


def test_a_first_upload_makes_the_missing_profile(cast, settings, tmp_path):
    from recruitment.models import ApplicantProfile

    settings.MEDIA_ROOT = tmp_path
    user = cast.users["applicant"]
    ApplicantProfile.objects.filter(user=user).delete()
    response = cast.client("applicant").post(
        reverse("recruitment:document_upload"),
        {"kind": "ktp", "file": SimpleUploadedFile("k.pdf", b"%PDF-1.4\n%%EOF\n")},
    )
    assert response.status_code == 302
    assert ApplicantProfile.objects.get(user=user).documents.get().kind == "ktp"


def test_a_formation_of_another_selection_is_not_found_on_the_public_ranking(cast):
    one, other = make_selection(region=cast.region_a), make_selection(region=cast.region_a)
    url = reverse("recruitment:public_ranking", args=[one.pk, other.formations.get().pk])
    assert cast.client("anonymous").get(url).status_code == 404
