"""A whole selection, through the pages: register -> apply -> screen -> import SKD -> score SKB ->
observer sign-off -> ranking -> objection -> corrected ranking (DESIGN.md §4 on the way)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from recruitment import services
from recruitment.ledger import ledger_verify
from recruitment.models import ApplicantProfile, Application, Objection, Stage
from recruitment.selectors import ranking_rows, stage_status

from .factories import assign, make_selection

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def other_applicant(n: int, nik: str, birth: dt.date, formation):
    user = services.applicant_register(
        email=f"peserta{n}@example.id", password="Rahasia-2026!", full_name=f"Peserta {n}"
    )
    services.applicant_profile_update(
        profile=ApplicantProfile.objects.get(user=user),
        full_name=f"Peserta {n}",
        nik=nik,
        birth_date=birth,
        address="Jl. Sudirman",
        phone="0812000000",
        education="S1 Psikologi",
    )
    return services.application_submit(user=user, formation=formation)


def test_a_whole_selection(cast, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    now = timezone.now()
    selection = make_selection(
        region=cast.region_a,
        quota=1,
        created_by=cast.users["hr"],
        objection_opens=now - dt.timedelta(hours=1),
        objection_closes=now + dt.timedelta(days=2),
    )
    formation = selection.formations.get()
    assign("observer", selection=selection, user=cast.users["observer"])
    assign("panel", selection=selection, user=cast.users["panel"])
    hr, observer, panel = cast.client("hr"), cast.client("observer"), cast.client("panel")

    with django_capture_on_commit_callbacks(execute=True):
        # 1. Sari registers, fills her data (female NIK: day 17 + 40), uploads her KTP and applies.
        sari = Client()
        r = sari.post(
            reverse("recruitment:register"),
            {
                "full_name": "Sari Dewi",
                "email": "sari@example.id",
                "password": "Rahasia-2026!",
                "password_again": "Rahasia-2026!",
            },
        )
        assert r.status_code == 302
        r = sari.post(
            reverse("recruitment:applicant_profile"),
            {
                "full_name": "Sari Dewi",
                "nik": "1771015705980001",
                "birth_date": "1998-05-17",
                "address": "Jl. Merdeka 1",
                "phone": "081234567890",
                "education": "S1 Psikologi",
            },
        )
        assert r.status_code == 302
        r = sari.post(
            reverse("recruitment:document_upload"),
            {"kind": "ktp", "file": SimpleUploadedFile("ktp.pdf", PDF)},
        )
        assert r.status_code == 302
        r = sari.post(reverse("recruitment:apply", args=[selection.pk]), {"formation": formation.pk})
        assert r.status_code == 302
        mine = Application.objects.get(full_name="Sari Dewi")
        budi = other_applicant(2, "1771011203970002", dt.date(1997, 3, 12), formation)
        citra = other_applicant(3, "1771014104960003", dt.date(1996, 4, 1), formation)
        dodi = other_applicant(4, "1771010101950004", dt.date(1995, 1, 1), formation)

        # 2. HR screens everyone in.
        for application in (mine, budi, citra, dodi):
            r = hr.post(
                reverse("recruitment:screen", args=[application.pk]), {"met": "1", "reason": "Berkas lengkap"}
            )
            assert r.status_code == 302

        # 3. The CAT file: Dodi misses the TWK mark (60 < 65).
        csv_text = (
            "nomor_peserta,twk,tiu,tkp\n"
            f"{mine.participant_number},100,110,190\n"
            f"{budi.participant_number},110,110,200\n"
            f"{citra.participant_number},90,90,170\n"
            f"{dodi.participant_number},60,150,220\n"
        )
        r = hr.post(
            reverse("recruitment:skd_import", args=[selection.pk]),
            {"file": SimpleUploadedFile("cat.csv", csv_text.encode())},
        )
        assert r.status_code == 302
        statuses = dict(Application.objects.values_list("full_name", "status"))
        assert statuses["Peserta 4"] == Application.Status.SKD_FAILED
        assert statuses["Sari Dewi"] == Application.Status.SKD_PASSED

        # 4. The observer signs the screening and SKD sheets; the panel scores the three who advance.
        for stage in (Stage.ADMINISTRATION, Stage.SKD):
            assert (
                observer.post(
                    reverse("recruitment:signoff", args=[selection.pk]), {"stage": stage}
                ).status_code
                == 302
            )
        for application in (mine, budi, citra):
            r = panel.post(
                reverse("recruitment:skb_score", args=[application.pk]),
                {"technical": "80", "managerial": "80", "interview": "80", "reason": ""},
            )
            assert r.status_code == 302, r.content
        r = panel.post(
            reverse("recruitment:skb_score", args=[dodi.pk]),
            {"technical": "90", "managerial": "90", "interview": "90"},
        )
        assert r.status_code == 200  # Dodi does not advance: refused, nothing saved
        observer.post(reverse("recruitment:signoff", args=[selection.pk]), {"stage": Stage.SKB})
        assert all(s["signed"] for s in stage_status(selection=selection))

        # 5. Ranking: Budi 0.4*420/550*100 + 48 = 78.545; Sari 400 -> 77.091; Citra 350 -> 73.455.
        page = Client().get(reverse("recruitment:public_ranking", args=[selection.pk, formation.pk]))
        html = page.content.decode()
        assert html.index("Peserta 2") < html.index("Sari Dewi") < html.index("Peserta 3")
        assert "78,545" in html and "77,091" in html and "73,455" in html  # Indonesian decimal comma
        assert "1771015705980001" not in html and "1998-05-17" not in html and "081234567890" not in html

        # 6. Sari objects: her TKP was misread (215, not 190). HR accepts and records the correction.
        r = sari.post(
            reverse("recruitment:objection_file", args=[mine.pk]),
            {"stage": "skd", "text": "Nilai TKP saya di layar CAT 215, bukan 190."},
        )
        assert r.status_code == 302
        objection = Objection.objects.get(application=mine)
        r = hr.post(
            reverse("recruitment:objection_answer", args=[objection.pk]),
            {"accepted": "on", "text": "Diterima; dikoreksi."},
        )
        assert r.status_code == 302
        r = hr.post(
            reverse("recruitment:skd_correct", args=[mine.pk]),
            {"twk": 100, "tiu": 110, "tkp": 215, "reason": f"Sanggah #{objection.pk} diterima"},
        )
        assert r.status_code == 302
        assert stage_status(selection=selection)[1]["needs_signoff"]
        observer.post(reverse("recruitment:signoff", args=[selection.pk]), {"stage": Stage.SKD})

    # 7. Corrected ranking: Sari 425 -> 30.909 + 48 = 78.909 now leads; the original SKD row remains.
    rows, _ = ranking_rows(selection_id=selection.pk, formation_id=formation.pk)
    assert [(r.full_name, str(r.final_score)) for r in rows if r.final_rank] == [
        ("Sari Dewi", "78.909"),
        ("Peserta 2", "78.545"),
        ("Peserta 3", "73.455"),
    ]
    assert rows[0].passes and not rows[1].passes
    assert mine.skd_scores.count() == 2
    assert all(s["signed"] for s in stage_status(selection=selection))
    (report,) = ledger_verify(selection_id=selection.pk)
    kinds = set(selection.ledger.values_list("kind", flat=True))
    assert (
        report.ok and {"application", "screening", "skd_score", "signoff", "skb_score", "objection"} <= kinds
    )
    assert {"objection_answer", "skd_correction"} <= kinds
    # Emails at each status change: submitted, screened, SKD result, objection answered.
    to_sari = [m for m in mail.outbox if m.to == ["sari@example.id"]]
    assert len(to_sari) == 4
