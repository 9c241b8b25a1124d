"""The whole path through the pages: catalog -> request -> allocation -> attendance -> certificate -> JP."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from tests.clock import TODAY, at, days
from training.models import Attendance, Enrollment, Feedback, Programme, Session
from training.tasks import allocate_due_sessions

from .factories import SessionFactory

pytestmark = pytest.mark.django_db

# A stated purpose: exports of other people's data ask for one (asnportal/accounts/exports.py).
PURPOSE = {"category": "administration", "explanation": "Rekap untuk rapat pimpinan"}


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_end_to_end(cast, django_capture_on_commit_callbacks):
    employee = cast.objects["staff_employee"]
    employee.email = "budi@example.go.id"
    employee.save()
    with time_machine.travel(at(days(0)), tick=False):
        hr, staff = cast.client("hr"), cast.client("staff")  # logged in anew: sessions expire
        response = hr.post(
            reverse("training:programme_create"),
            {
                "title": "Manajemen ASN Berbasis Merit",
                "kind": "technical",
                "mode": "blended",
                "jp": 24,
                "competencies": [],
                "min_attendance_pct": 80,
                "is_active": "on",
            },
        )
        assert response.status_code == 302, response.context["form"].errors
        programme = Programme.objects.get(title="Manajemen ASN Berbasis Merit")
        assert programme.region == cast.region_a
        response = hr.post(
            reverse("training:session_create"),
            {
                "programme": programme.pk,
                "name": "Angkatan I",
                "start_date": days(12).isoformat(),
                "end_date": days(13).isoformat(),
                "enroll_opens": days(-5).isoformat(),
                "enroll_closes": days(5).isoformat(),
                "place": "Aula BKPSDM",
                "capacity": 5,
            },
        )
        assert response.status_code == 302, response.context["form"].errors
        session = Session.objects.get(programme=programme)
        assert session.region == cast.region_a

        response = staff.get(reverse("training:catalog"), {"mode": "blended", "open_seats": "on"})
        assert "Manajemen ASN Berbasis Merit" in response.content.decode()
        response = staff.get(reverse("training:catalog"), {"mode": "online"})
        assert "Manajemen ASN Berbasis Merit" not in response.content.decode()

        response = staff.post(reverse("training:enroll", args=[session.pk]), follow=True)
        assert Enrollment.objects.filter(session=session, employee=employee, status="requested").count() == 1
        response = staff.post(reverse("training:enroll", args=[session.pk]), follow=True)
        assert messages_of(response) == ["Anda sudah meminta kursi di kelas ini."]
        assert Enrollment.objects.filter(session=session, employee=employee).count() == 1

    # The window closes; the beat job allocates.
    with time_machine.travel(at(days(6)), tick=False):
        hr, staff = cast.client("hr"), cast.client("staff")
        with django_capture_on_commit_callbacks(execute=True):
            allocate_due_sessions.delay()
        enrollment = Enrollment.objects.get(session=session, employee=employee)
        assert (enrollment.status, enrollment.rank) == ("admitted", 1)
        assert mail.outbox[-1].to == ["budi@example.go.id"]
        response = staff.get(reverse("training:session_detail", args=[session.pk]))
        session.refresh_from_db()
        assert response.context["enrollment"].rank == 1 and response.context["ranked"] == 1
        assert str(session.allocation_seed) in response.content.decode()  # the recorded draw is shown

    with time_machine.travel(at(days(12)), tick=False):  # the first day of the class
        hr, staff = cast.client("hr"), cast.client("staff")
        url = reverse("training:attendance", args=[session.pk])
        response = hr.post(url, {"day": days(12).isoformat(), "present": [enrollment.pk + 999]}, follow=True)
        assert messages_of(response) == [
            f"{enrollment.pk + 999} bukan peserta yang diterima di kelas ini: kehadiran hanya dicatat untuk "
            "peserta yang diterima."
        ]
        assert not Attendance.objects.exists()
        for day in (days(12), days(13)):
            hr.post(url, {"day": day.isoformat(), "present": [enrollment.pk]})
        assert Attendance.objects.filter(present=True).count() == 2
        response = hr.post(reverse("training:session_complete", args=[session.pk]), follow=True)
        assert Enrollment.objects.get(pk=enrollment.pk).status == "admitted"  # not before the last day

    with time_machine.travel(at(days(13), 16), tick=False):  # the last day's afternoon
        hr, staff = cast.client("hr"), cast.client("staff")
        hr.post(reverse("training:session_complete", args=[session.pk]))
        enrollment.refresh_from_db()
        assert (enrollment.status, enrollment.jp_granted) == ("completed", 24)
        response = staff.get(reverse("training:my"))
        assert response.context["jp"] == 24 and response.context["jp_missing"] == 0
        pdf = staff.get(reverse("training:certificate", args=[enrollment.pk]))
        assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
        public = cast.client("anonymous").get(reverse("training:verify", args=[enrollment.certificate_code]))
        body = public.content.decode()
        assert public.status_code == 200
        assert employee.name in body and programme.title in body
        assert employee.nip not in body and employee.email not in body
        assert cast.client("anonymous").get(reverse("training:verify", args=["NOPE"])).status_code == 404

        response = staff.post(
            reverse("training:feedback", args=[enrollment.pk]),
            {"session_rating": 5, "trainer_rating": 4, "comment": "Sangat bermanfaat"},
        )
        assert response.status_code == 302
        assert Feedback.objects.get().enrollment == enrollment
        results = hr.get(reverse("training:programme_results", args=[programme.pk]))
        assert results.context["overall"]["n"] == 1
        assert "Sangat bermanfaat" in results.content.decode()


def test_staff_cannot_open_a_session_of_another_region(cast):
    session = SessionFactory(programme__region=cast.region_b)
    assert cast.client("staff").get(reverse("training:session_detail", args=[session.pk])).status_code == 404
    assert cast.client("staff").post(reverse("training:enroll", args=[session.pk])).status_code == 404
    assert not Enrollment.objects.exists()


def test_ineligible_sees_the_reason_and_cannot_enroll(cast):
    session = SessionFactory(programme__eligible_position_kinds=["administrator"])
    staff = cast.client("staff")
    page = staff.get(reverse("training:session_detail", args=[session.pk])).content.decode()
    assert "Administrator" in page
    response = staff.post(reverse("training:enroll", args=[session.pk]), follow=True)
    assert messages_of(response)
    assert not Enrollment.objects.exists()


def test_bad_session_form_saves_nothing(cast):
    programme = Programme.objects.create(
        region=cast.region_a, title="P", kind="technical", mode="online", jp=8
    )
    response = cast.client("hr").post(
        reverse("training:session_create"),
        {
            "programme": programme.pk,
            "name": "X",
            "start_date": days(12).isoformat(),
            "end_date": days(6).isoformat(),  # before the start
            "enroll_opens": days(-5).isoformat(),
            "enroll_closes": days(15).isoformat(),  # after the start
            "capacity": 5,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "end_date" in errors and "enroll_closes" in errors
    assert not Session.objects.exists()


def test_hr_cannot_plan_a_session_of_another_region_programme(cast):
    other = Programme.objects.create(
        region=cast.region_b, title="Sorong", kind="technical", mode="online", jp=8
    )
    response = cast.client("hr").post(
        reverse("training:session_create"),
        {
            "programme": other.pk,
            "name": "X",
            "start_date": days(12).isoformat(),
            "end_date": days(13).isoformat(),
            "enroll_opens": days(-5).isoformat(),
            "enroll_closes": days(5).isoformat(),
            "capacity": 5,
        },
    )
    assert response.status_code == 200 and "programme" in response.context["form"].errors
    assert not Session.objects.exists()


def test_national_programme_is_read_only_for_hr(cast):
    national = Programme.objects.create(region=None, title="PKN II", kind="pkn_2", mode="blended", jp=200)
    hr = cast.client("hr")
    assert hr.get(reverse("training:programme_edit", args=[national.pk])).status_code == 404
    assert hr.get(reverse("training:programme_results", args=[national.pk])).status_code == 200


def test_material_added_to_a_programme(cast):
    programme = Programme.objects.create(
        region=cast.region_a, title="P", kind="technical", mode="online", jp=8
    )
    hr = cast.client("hr")
    url = reverse("training:material_add", args=[programme.pk])
    response = hr.post(url, {"m-title": "Modul 1", "m-url": "https://elearning.example/m1"})
    assert response.status_code == 302
    assert response.url == reverse("training:programme_edit", args=[programme.pk])
    response = hr.post(url, {"m-title": "Kosong"})
    assert response.status_code == 200 and response.context["material_form"].errors
    assert not response.context["form"].is_bound  # the programme's own form is shown untouched
    assert list(programme.materials.values_list("title", flat=True)) == ["Modul 1"]
    assert hr.get(url).status_code == 405  # one POST URL per action; GET changes nothing


def test_saving_a_programme_adds_no_material(cast):
    """The programme's form and the material's form post to URLs of their own."""
    programme = Programme.objects.create(
        region=cast.region_a, title="P", kind="technical", mode="online", jp=8
    )
    hr = cast.client("hr")
    page = hr.get(reverse("training:programme_edit", args=[programme.pk])).content.decode()
    assert f'action="{reverse("training:material_add", args=[programme.pk])}"' in page
    response = hr.post(
        reverse("training:programme_edit", args=[programme.pk]),
        {
            "p-title": "P baru",
            "p-kind": "technical",
            "p-mode": "online",
            "p-jp": "8",
            "p-min_attendance_pct": "80",
            "p-is_active": "on",
            "m-title": "Modul 1",
            "m-url": "https://elearning.example/m1",
        },
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.title == "P baru" and not programme.materials.exists()


def test_suggestions_on_my_page(cast, monkeypatch):
    from training.models import Competency

    from .test_selectors import fake_performance

    programme = Programme.objects.create(
        region=cast.region_a, title="Layanan Prima", kind="technical", mode="online", jp=8
    )
    programme.competencies.set(Competency.objects.filter(code="berorientasi_pelayanan"))
    employee = cast.objects["staff_employee"]
    fake_performance(monkeypatch, {employee.pk: ["berorientasi_pelayanan"]})
    page = cast.client("staff").get(reverse("training:my")).content.decode()
    assert "Layanan Prima" in page and "Berorientasi Pelayanan" in page


def test_navigation_entries(cast):
    staff_page = cast.client("staff").get(reverse("training:my")).content.decode()
    assert reverse("training:catalog") in staff_page
    hr_page = cast.client("hr").get(reverse("training:manage")).content.decode()
    assert reverse("training:below_20") in hr_page


def test_allocate_button_refuses_an_open_window(cast):
    session = SessionFactory()
    response = cast.client("hr").post(reverse("training:session_allocate", args=[session.pk]), follow=True)
    assert messages_of(response)
    session.refresh_from_db()
    assert session.allocated_at is None


def test_cancel_from_the_page(cast):
    session = SessionFactory(enroll_opens=days(-24))
    enrollment = Enrollment.objects.create(session=session, employee=cast.objects["staff_employee"])
    cast.client("staff").post(reverse("training:cancel", args=[enrollment.pk]))
    enrollment.refresh_from_db()
    assert enrollment.status == "cancelled"


def test_below_20_xlsx(cast):
    import io

    from openpyxl import load_workbook

    from .factories import completed

    # a completion this year that is never after today (1 January)
    completed(cast.objects["staff_employee"], jp=8, on=dt.date(TODAY.year, 1, 1))
    response = cast.client("hr").post(reverse("training:below_20_xlsx"), PURPOSE)
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    by_name = {r[0]: r for r in rows[2:]}
    assert by_name["Budi Pegawai"][5:] == (8, 12)
    assert "Yohana Sorong" not in by_name  # another region's staff


def test_session_edit_cannot_cut_capacity_below_admitted(cast):
    session = SessionFactory(capacity=3, seats_taken=2)
    url = reverse("training:session_edit", args=[session.pk])
    data = {
        "programme": session.programme_id,
        "name": session.name,
        "start_date": days(12).isoformat(),
        "end_date": days(14).isoformat(),
        "enroll_opens": days(-5).isoformat(),
        "enroll_closes": days(5).isoformat(),
        "capacity": 1,
    }
    response = cast.client("hr").post(url, data)
    assert response.status_code == 200 and "capacity" in response.context["form"].errors
    session.refresh_from_db()
    assert session.capacity == 3
    data["capacity"] = 12
    assert cast.client("hr").post(url, data).status_code == 302
    session.refresh_from_db()
    assert (session.capacity, session.seats_taken) == (12, 2)
    assert cast.client("hr_other").post(url, data).status_code == 404
