"""Writes: registration, NIK, uploads, applications, screening, SKD import, SKB, sign-off, objections, mail."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from asnportal.accounts.models import Role, RoleAssignment
from recruitment import services
from recruitment.imports import parse_score_file
from recruitment.models import ApplicantProfile, Application, Document, LedgerEntry, SkbScore, SkdScore, Stage
from recruitment.selectors import stage_status

from ..clock import TODAY, at, days
from .factories import assign, make_applicant_user, make_application, make_selection, nik_for

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


PNG = _png()  # a real image: uploads are decoded, not only sniffed


def csv_upload(text: str, name: str = "hasil.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


# --- Registration and personal data ------------------------------------------------------------
def test_register_creates_user_role_and_profile():
    user = services.applicant_register(
        email="Sari@Example.id", password="Rahasia-2026!", full_name="Sari Dewi"
    )
    assert user.username == "sari@example.id" and user.check_password("Rahasia-2026!")
    assert RoleAssignment.objects.get(user=user).role == Role.APPLICANT
    assert RoleAssignment.objects.get(user=user).region is None
    assert ApplicantProfile.objects.get(user=user).full_name == "Sari Dewi"
    with pytest.raises(ValidationError):
        services.applicant_register(email="sari@example.id", password="Rahasia-2026!", full_name="Lagi")


def _profile(**overrides):
    user = make_applicant_user()
    profile = ApplicantProfile.objects.create(user=user, full_name="Sari")
    data = {
        "full_name": "Sari Dewi",
        "nik": "1771015705980001",  # female: day 57 - 40 = 17 May 1998
        "birth_date": dt.date(1998, 5, 17),
        "address": "Jl. Merdeka 1",
        "phone": "081234567890",
        "education": "S1 Psikologi",
    }
    data.update(overrides)
    return services.applicant_profile_update(profile=profile, **data)


def test_nik_female_day_plus_40_matches_birth_date():
    profile = _profile()
    assert profile.nik == "1771015705980001" and profile.is_complete


@pytest.mark.parametrize(
    ("nik", "birth", "message"),
    [
        ("177101570598001", dt.date(1998, 5, 17), "16"),  # 15 digits
        ("1771013202980001", dt.date(1998, 2, 28), "NIK"),  # impossible date inside the NIK
        ("1771011705980001", dt.date(1998, 5, 18), "NIK"),  # date part differs from birth date
    ],
)
def test_bad_nik_is_refused_and_nothing_saved(nik, birth, message):
    with pytest.raises(ValidationError) as info:
        _profile(nik=nik, birth_date=birth)
    assert message in str(info.value)
    assert not ApplicantProfile.objects.exclude(nik="").exists()


# --- Uploads ----------------------------------------------------------------------------------
@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_upload_checks_content_not_name(media):
    profile = _profile()
    doc = services.document_upload(profile=profile, kind="ktp", upload=SimpleUploadedFile("ktp.pdf", PDF))
    assert doc.content_type == "pdf" and doc.file.name.endswith(".pdf") and (media / doc.file.name).exists()
    disguised = services.document_upload(
        profile=profile, kind="foto", upload=SimpleUploadedFile("foto.pdf", PNG)
    )
    assert disguised.file.name.endswith(".png")
    with pytest.raises(ValidationError, match="PDF, JPEG"):
        services.document_upload(
            profile=profile, kind="ijazah", upload=SimpleUploadedFile("ijazah.pdf", b"MZ\x90\x00 not a pdf")
        )
    assert Document.objects.count() == 2


def test_upload_size_limit(media, settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="terlalu besar"):
        services.document_upload(
            profile=_profile(), kind="ktp", upload=SimpleUploadedFile("a.pdf", PDF + b"0" * 200)
        )
    assert not Document.objects.exists()


# --- Applications -------------------------------------------------------------------------------
def test_same_nik_twice_in_a_selection_is_refused(cast):
    selection = make_selection(region=cast.region_a, formations=2)
    f1, f2 = selection.formations.all()
    first = _profile()
    application = services.application_submit(user=first.user, formation=f1)
    assert application.participant_number.startswith(str(TODAY.year))  # the selection's year
    twin = _profile()  # another account with the same NIK
    with pytest.raises(ValidationError, match="NIK"):
        services.application_submit(user=twin.user, formation=f2)
    with pytest.raises(ValidationError, match="sudah melamar"):
        services.application_submit(user=first.user, formation=f2)
    assert Application.objects.count() == 1


def test_incomplete_profile_or_closed_registration_refused(cast):
    selection = make_selection(
        region=cast.region_a, registration_opens=days(-31), registration_closes=days(-1)
    )
    user = make_applicant_user()
    ApplicantProfile.objects.create(user=user, full_name="X")
    with pytest.raises(ValidationError, match="data pribadi"):
        services.application_submit(user=user, formation=selection.formations.get())
    with pytest.raises(ValidationError, match="tidak dibuka"):
        services.application_submit(user=_profile().user, formation=selection.formations.get(), today=TODAY)


# --- SKD import -----------------------------------------------------------------------------------
def _screened(selection, n):
    f = selection.formations.get()
    return [make_application(f, birth=dt.date(1990 + i, 1, 1)) for i in range(n)]


def test_csv_import_all_rows(cast):
    selection = make_selection(region=cast.region_a, quota=1)
    a, b = _screened(selection, 2)
    rows = parse_score_file(
        csv_upload(
            f"nomor_peserta;twk;tiu;tkp\n{a.participant_number};65;80;166\n{b.participant_number};64;80;166\n"
        )
    )
    assert services.skd_import(selection=selection, rows=rows, by=cast.users["hr"]) == 2
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == Application.Status.SKD_PASSED and b.status == Application.Status.SKD_FAILED
    assert LedgerEntry.objects.filter(selection=selection, kind="skd_score").count() == 2


def test_xlsx_import(cast):
    selection = make_selection(region=cast.region_a)
    (a,) = _screened(selection, 1)
    book = openpyxl.Workbook()
    book.active.append(["Nomor Peserta", "TWK", "TIU", "TKP"])
    book.active.append([a.participant_number, 100, 120, 200])
    out = io.BytesIO()
    book.save(out)
    rows = parse_score_file(SimpleUploadedFile("hasil.xlsx", out.getvalue()))
    services.skd_import(selection=selection, rows=rows, by=cast.users["hr"])
    assert SkdScore.objects.get(application=a).total == 420


def test_import_with_any_bad_row_saves_nothing_and_reports_each_row_in_indonesian(cast):
    selection = make_selection(region=cast.region_a)
    a, b = _screened(selection, 2)
    text = (
        "nomor_peserta,twk,tiu,tkp\n"
        f"{a.participant_number},151,80,166\n"  # TWK above 150
        f"{b.participant_number},65,176,226\n"  # TIU above 175, TKP above 225
        "TIDAKADA,65,80,166\n"  # unknown participant
        f"{a.participant_number},65,80,166\n"  # duplicate row
        f"{b.participant_number},6x,80,\n"  # not a number, empty
    )
    rows = parse_score_file(csv_upload(text))
    with translation.override("id"), pytest.raises(ValidationError) as info:
        services.skd_import(selection=selection, rows=rows, by=cast.users["hr"])
    messages = info.value.messages
    assert any(m.startswith("Baris 2") and "TWK" in m and "150" in m for m in messages)
    assert any(m.startswith("Baris 3") and "TIU" in m for m in messages)
    assert any(m.startswith("Baris 3") and "TKP" in m for m in messages)
    assert any(m.startswith("Baris 4") and "TIDAKADA" in m for m in messages)
    assert any(m.startswith("Baris 5") and "baris 2" in m for m in messages)
    assert any(m.startswith("Baris 6") for m in messages)
    assert not SkdScore.objects.exists() and not LedgerEntry.objects.filter(kind="skd_score").exists()


def test_skd_maxima_boundaries_accepted(cast):
    selection = make_selection(region=cast.region_a)
    (a,) = _screened(selection, 1)
    rows = [{"line": 1, "participant_number": a.participant_number, "twk": 150, "tiu": 175, "tkp": 225}]
    services.skd_import(selection=selection, rows=rows, by=cast.users["hr"])
    assert SkdScore.objects.get().total == 550


# --- SKB, conflicts, sign-off and corrections -----------------------------------------------------
@pytest.fixture
def at_skb(cast):
    selection = make_selection(region=cast.region_a, quota=1)
    a, b = _screened(selection, 2)
    rows = [
        {"line": 1, "participant_number": a.participant_number, "twk": 100, "tiu": 100, "tkp": 200},
        {"line": 2, "participant_number": b.participant_number, "twk": 90, "tiu": 100, "tkp": 200},
    ]
    services.skd_import(selection=selection, rows=rows, by=cast.users["hr"])
    assign("panel", selection=selection, user=cast.users["panel"])
    assign("observer", selection=selection, user=cast.users["observer"])
    a.refresh_from_db()
    b.refresh_from_db()
    return selection, a, b


ITEMS = {"technical": 80, "managerial": 70, "interview": 90}  # 0.4*80 + 0.3*70 + 0.3*90 = 80.00


def test_skb_rubric_score_and_conflict_refusal(cast, at_skb):
    selection, a, b = at_skb
    score = services.skb_score_record(application=a, panel_member=cast.users["panel"], items=ITEMS)
    assert score.score == Decimal("80.00")
    services.conflict_declare(application=b, panel_member=cast.users["panel"], relationship="keluarga")
    with pytest.raises(ValidationError, match="konflik"):
        services.skb_score_record(application=b, panel_member=cast.users["panel"], items=ITEMS)
    with pytest.raises(ValidationError, match="0 sampai 100"):
        services.skb_score_record(
            application=a, panel_member=cast.users["panel"], items={**ITEMS, "interview": 101}
        )
    with pytest.raises(ValidationError, match="tidak ditugaskan"):
        services.skb_score_record(application=a, panel_member=cast.users["observer"], items=ITEMS)
    assert SkbScore.objects.count() == 1


def test_signoff_locks_stage_and_correction_needs_reason_and_new_signoff(cast, at_skb):
    selection, a, _b = at_skb
    assert [s["needs_signoff"] for s in stage_status(selection=selection)] == [True, True, False]
    with pytest.raises(ValidationError, match="tidak ditugaskan"):
        services.stage_signoff(selection=selection, stage=Stage.SKD, observer=cast.users["panel"])
    services.stage_signoff(selection=selection, stage=Stage.SKD, observer=cast.users["observer"])
    assert stage_status(selection=selection)[1]["signed"]
    with pytest.raises(ValidationError):
        services.skd_import(selection=selection, rows=[], by=cast.users["hr"])
    with pytest.raises(ValidationError, match="alasan"):
        services.skd_correct(application=a, twk=100, tiu=105, tkp=200, reason=" ", by=cast.users["hr"])
    services.skd_correct(
        application=a, twk=100, tiu=105, tkp=200, reason="Salah baca lembar CAT", by=cast.users["hr"]
    )
    skd = stage_status(selection=selection)[1]
    assert skd["needs_signoff"] and not skd["signed"]
    assert SkdScore.objects.filter(application=a).count() == 2  # the original row stays
    services.stage_signoff(selection=selection, stage=Stage.SKD, observer=cast.users["observer"])
    assert stage_status(selection=selection)[1]["signed"]


def test_observer_outside_period_cannot_sign(cast, at_skb):
    selection, _a, _b = at_skb
    with (
        time_machine.travel(timezone.now() + dt.timedelta(days=60)),
        pytest.raises(ValidationError, match="tidak ditugaskan"),
    ):
        services.stage_signoff(selection=selection, stage=Stage.SKD, observer=cast.users["observer"])


# --- Objections -------------------------------------------------------------------------------------
def test_objection_window(cast, at_skb):
    selection, a, _b = at_skb
    opens = at(days(6), 8)  # next week
    selection.objection_opens, selection.objection_closes = opens, opens + dt.timedelta(days=3)
    selection.save()
    a.selection.refresh_from_db()
    with pytest.raises(ValidationError, match="belum dimulai"):
        services.objection_file(
            application=a, stage="skd", text="Nilai saya", now=opens - dt.timedelta(minutes=1)
        )
    with translation.override("id"), pytest.raises(ValidationError) as late:
        services.objection_file(
            application=a, stage="skd", text="x", now=opens + dt.timedelta(days=3, seconds=1)
        )
    assert "terlambat" in late.value.messages[0] or "ditutup" in late.value.messages[0]
    objection = services.objection_file(application=a, stage="skd", text="Nilai TIU saya", now=opens)
    answer = services.objection_answer(
        objection=objection, accepted=True, text="Diterima", by=cast.users["hr"]
    )
    assert answer.accepted
    with pytest.raises(ValidationError):
        services.objection_answer(objection=objection, accepted=False, text="lagi", by=cast.users["hr"])
    kinds = list(LedgerEntry.objects.filter(selection=selection).values_list("kind", flat=True))
    assert "objection" in kinds and "objection_answer" in kinds


# --- Emails -----------------------------------------------------------------------------------------
def test_status_change_sends_email_after_commit(cast, django_capture_on_commit_callbacks):
    selection = make_selection(region=cast.region_a)
    application = make_application(selection.formations.get(), screened=None)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.screening_decide(
            application=application, met=False, reason="Ijazah tidak sesuai", by=cast.users["hr"]
        )
    from asnportal.tasking.models import Job

    assert len(callbacks) == 2  # the status job on commit, then the one mail it queued
    jobs = list(Job.objects.order_by("pk").values_list("task_name", "state"))
    assert jobs == [("recruitment.status_emails", "done"), ("tasking.mail_send", "done")]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [application.user.email]
    assert application.participant_number in mail.outbox[0].body


def test_no_email_before_commit(cast, django_capture_on_commit_callbacks):
    selection = make_selection(region=cast.region_a)
    application = make_application(selection.formations.get(), screened=None)
    with django_capture_on_commit_callbacks(execute=False):
        services.screening_decide(application=application, met=True, reason="Lengkap", by=cast.users["hr"])
    assert mail.outbox == []


def test_selection_create_for_workforce_planning(cast):
    from ..org.factories import PositionFactory

    position = PositionFactory(region=cast.region_a)
    selection = services.selection_create(
        region=cast.region_a,
        year=2027,
        name="Seleksi PPPK",
        created_by=cast.users["hr"],
        formations=[
            {"position_id": position.pk, "unit_id": cast.unit_a.pk, "education": "D3 Keperawatan", "quota": 4}
        ],
    )
    assert (selection.twk_min, selection.tiu_min, selection.tkp_min) == (65, 80, 166)
    assert (selection.w_skd, selection.w_skb) == (Decimal("0.40"), Decimal("0.60"))
    assert selection.formations.get().quota == 4
    with pytest.raises(ValidationError):
        services.selection_create(
            region=cast.region_a,
            year=2027,
            name="Salah daerah",
            created_by=None,
            formations=[
                {
                    "position_id": cast.objects["position_b"].pk,
                    "unit_id": cast.unit_b.pk,
                    "education": "S1",
                    "quota": 1,
                }
            ],
        )


def test_nik_helper_is_consistent():
    assert len(nik_for(dt.date(1998, 5, 17), 3)) == 16
