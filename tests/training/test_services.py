import datetime as dt
import itertools

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django_celery_beat.models import PeriodicTask

from asnportal.org.models import PositionKind
from tests.clock import at, days
from tests.org.factories import EmployeeFactory, PositionFactory
from training import services
from training.models import Attendance, Competency, Enrollment, Feedback, Notice, Programme, Session

from .factories import ProgrammeFactory, SessionFactory, completed

pytestmark = pytest.mark.django_db

BERAKHLAK = ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif"]


_emails = itertools.count(1)


def staff(cast, **extra):
    extra.setdefault("email", f"peserta{next(_emails)}@example.go.id")
    return EmployeeFactory(unit=cast.unit_a, position=cast.objects["position_a"], **extra)


def test_competencies_seeded_with_the_berakhlak_codes():
    codes = set(Competency.objects.filter(kind="behaviour").values_list("code", flat=True))
    assert codes == set(BERAKHLAK)
    assert Competency.objects.filter(kind="technical").count() >= 3


def test_beat_schedules_registered():
    tasks = set(PeriodicTask.objects.filter(name__startswith="training: ").values_list("task", flat=True))
    assert tasks == {"training.allocate_due_sessions", "training.send_reminders"}


# ----- eligibility ---------------------------------------------------------------------------


class TestEligibility:
    def test_open_programme_admits_any_position_and_rank(self, cast):
        programme = ProgrammeFactory(region=cast.region_a)
        low = staff(cast, rank="I/a")
        assert services.eligibility_check(programme=programme, employee=low).ok

    def test_position_kind_rule(self, cast):
        pengawas = PositionFactory(region=cast.region_a, kind=PositionKind.PENGAWAS)
        programme = services.programme_save(
            programme=Programme(region=cast.region_a, title="PKP", kind="pkp", mode="classroom", jp=100)
        )
        assert programme.eligible_position_kinds == ["pengawas"]  # PKP defaults to pengawas
        ok = EmployeeFactory(unit=cast.unit_a, position=pengawas)
        result = services.eligibility_check(programme=programme, employee=ok)
        assert result.ok and result.reasons == []
        not_ok = services.eligibility_check(programme=programme, employee=cast.objects["staff_employee"])
        assert not not_ok.ok
        assert not_ok.reasons == ["Program ini untuk jenis jabatan Pengawas; jabatan Anda Pelaksana."]

    @pytest.mark.parametrize(
        ("rank", "ok"), [("III/b", False), ("III/c", True), ("IV/a", True), ("II/d", False)]
    )
    def test_minimum_rank_boundary(self, cast, rank, ok):
        programme = ProgrammeFactory(region=cast.region_a, min_rank="III/c")
        employee = staff(cast, rank=rank)
        assert services.eligibility_check(programme=programme, employee=employee).ok is ok

    def test_other_region_programme_and_inactive_employee(self, cast):
        programme = ProgrammeFactory(region=cast.region_b)
        employee = staff(cast)
        assert not services.eligibility_check(programme=programme, employee=employee).ok
        national = ProgrammeFactory(region=None)
        assert services.eligibility_check(programme=national, employee=employee).ok
        employee.status = "retired"
        assert not services.eligibility_check(programme=national, employee=employee).ok

    def test_description(self, cast):
        programme = ProgrammeFactory(eligible_position_kinds=["administrator"], min_rank="III/d")
        assert (
            services.eligibility_describe(programme=programme)
            == "jenis jabatan: Administrator; pangkat/golongan minimal III/d"
        )
        assert (
            services.eligibility_describe(programme=ProgrammeFactory()) == "terbuka bagi setiap pegawai aktif"
        )

    def test_programme_with_unknown_position_kind_is_refused(self, cast):
        with pytest.raises(ValidationError):
            services.programme_save(
                programme=Programme(
                    title="X", kind="technical", mode="online", jp=8, eligible_position_kinds=["raja"]
                )
            )
        assert not Programme.objects.filter(title="X").exists()


# ----- requests ------------------------------------------------------------------------------


class TestRequest:
    def test_request_in_window(self, cast):
        session = SessionFactory()
        enrollment = services.enrollment_request(session=session, employee=cast.objects["staff_employee"])
        assert enrollment.status == Enrollment.Status.REQUESTED

    def test_twice_is_refused_and_nothing_changes(self, cast):
        session = SessionFactory()
        employee = cast.objects["staff_employee"]
        services.enrollment_request(session=session, employee=employee)
        with pytest.raises(ValidationError, match="sudah meminta kursi"):
            services.enrollment_request(session=session, employee=employee)
        assert Enrollment.objects.filter(session=session).count() == 1

    @pytest.mark.parametrize(
        ("opens", "closes", "message"),
        [
            (days(1), days(5), f"baru dibuka pada {days(1):%d-%m-%Y}"),
            (days(-24), days(-1), f"sudah ditutup pada {days(-1):%d-%m-%Y}"),
        ],
        ids=["opens-tomorrow", "closed-yesterday"],
    )
    def test_outside_the_window(self, cast, opens, closes, message):
        session = SessionFactory(enroll_opens=opens, enroll_closes=closes)
        with pytest.raises(ValidationError, match=message):
            services.enrollment_request(session=session, employee=cast.objects["staff_employee"])
        assert not Enrollment.objects.exists()

    def test_window_edges_are_inclusive(self, cast):
        first = SessionFactory(enroll_opens=days(0))
        last = SessionFactory(enroll_opens=days(-24), enroll_closes=days(0))
        employee = cast.objects["staff_employee"]
        services.enrollment_request(session=first, employee=employee)
        services.enrollment_request(session=last, employee=employee)
        assert Enrollment.objects.count() == 2

    def test_window_uses_the_region_local_date(self, cast):
        # 23:00 WIB (16:00 UTC) of the closing day is already the next day in Sorong (UTC+9), still the
        # closing day in Bengkulu.
        sorong = SessionFactory(programme__region=cast.region_b, enroll_closes=days(0))
        employee = cast.objects["other_region_employee"]
        with time_machine.travel(at(days(0), 23), tick=False), pytest.raises(ValidationError):
            services.enrollment_request(session=sorong, employee=employee)
        with time_machine.travel(at(days(0), 21), tick=False):  # 23:00 in Sorong: still open
            services.enrollment_request(session=sorong, employee=employee)

    def test_not_eligible(self, cast):
        session = SessionFactory(programme__eligible_position_kinds=["pengawas"])
        with pytest.raises(ValidationError, match="jenis jabatan Pengawas"):
            services.enrollment_request(session=session, employee=cast.objects["staff_employee"])
        assert not Enrollment.objects.exists()

    def test_session_of_another_region(self, cast):
        session = SessionFactory(programme__region=cast.region_b)
        with pytest.raises(ValidationError):
            services.enrollment_request(session=session, employee=cast.objects["staff_employee"])

    def test_national_session_of_another_region_is_open(self, cast):
        session = SessionFactory(programme__region=None, region=cast.region_b)
        services.enrollment_request(session=session, employee=cast.objects["staff_employee"])
        assert Enrollment.objects.count() == 1

    def test_request_again_after_cancelling(self, cast):
        session = SessionFactory()
        employee = cast.objects["staff_employee"]
        services.enrollment_cancel(enrollment=services.enrollment_request(session=session, employee=employee))
        services.enrollment_request(session=session, employee=employee)
        assert Enrollment.objects.filter(session=session).count() == 2


# ----- allocation ----------------------------------------------------------------------------


def closed_session(**extra) -> Session:
    """A session whose window closed yesterday: due for the allocation, the class 12 days ahead."""
    defaults = {"enroll_opens": days(-24), "enroll_closes": days(-1)}
    defaults.update(extra)
    return SessionFactory(**defaults)


def request(session, employee) -> Enrollment:
    return Enrollment.objects.create(session=session, employee=employee)


class TestAllocation:
    def test_worked_example(self, cast, django_capture_on_commit_callbacks):
        """Five requests for two seats.

        A: 24 JP this year (not below 20), remote        -> (False, False, 24, d)
        B: 0 JP, not remote, 30 JP two years ago         -> (True, True, 30, d)
        C: 10 JP this year, remote                       -> (True, False, 10, d)
        D: 0 JP, not remote, 0 JP in three years          -> (True, True, 0, d)
        E: 19 JP this year (boundary: still below 20)     -> (True, True, 19, d)
        Expected order: C (remote), then D (0), E (19), B (30), then A (20+ JP).
        "This year" is the year the window closed in (yesterday's: last year on 1 January), and its
        completions fall on its first day, never after today.
        """
        session = closed_session(capacity=2)
        year = session.enroll_closes.year
        a = staff(cast, name="A", is_remote=True)
        b = staff(cast, name="B")
        c = staff(cast, name="C", is_remote=True)
        d = staff(cast, name="D")
        e = staff(cast, name="E")
        completed(a, jp=24, on=dt.date(year, 1, 1))
        completed(b, jp=30, on=dt.date(year - 2, 5, 10))
        completed(b, jp=50, on=dt.date(year - 3, 5, 10))  # outside the three years (this one and two before)
        completed(c, jp=10, on=dt.date(year, 1, 1))
        completed(e, jp=19, on=dt.date(year, 1, 1))
        requests = {x.name: request(session, x) for x in [a, b, c, d, e]}
        with django_capture_on_commit_callbacks(execute=True):
            services.session_allocate(session_id=session.pk, seed=42)
        ranked = {name: Enrollment.objects.get(pk=r.pk) for name, r in requests.items()}
        assert [n for n, _r in sorted(ranked.items(), key=lambda kv: kv[1].rank)] == ["C", "D", "E", "B", "A"]
        assert ranked["C"].status == ranked["D"].status == Enrollment.Status.ADMITTED
        assert {ranked[n].status for n in "EBA"} == {Enrollment.Status.WAITLISTED}
        assert (ranked["B"].jp_this_year, ranked["B"].jp_three_years, ranked["B"].below_20) == (0, 30, True)
        assert (ranked["A"].jp_this_year, ranked["A"].below_20, ranked["A"].is_remote) == (24, False, True)
        assert (ranked["E"].jp_this_year, ranked["E"].below_20) == (19, True)
        session.refresh_from_db()
        assert (session.seats_taken, session.allocation_seed) == (2, 42)
        # Everyone was told: two seats granted, three waitlisted.
        subjects = sorted(m.subject.split(":")[0] for m in mail.outbox)
        assert subjects == ["Daftar tunggu"] * 3 + ["Kursi diberikan"] * 2

    def test_ties_broken_by_the_recorded_seed_reproducibly(self, cast):
        people = [staff(cast) for _i in range(6)]

        def run(seed):
            session = closed_session(capacity=3)
            rows = [request(session, p) for p in people]
            services.session_allocate(session_id=session.pk, seed=seed)
            return [Enrollment.objects.get(pk=r.pk).rank for r in rows]

        first, again, other = run(7), run(7), run(8)
        assert first == again  # the stored seed replays the same draw
        assert sorted(first) == [1, 2, 3, 4, 5, 6]
        assert first != other

    def test_draw_order_matches_the_draws(self, cast):
        session = closed_session(capacity=1)
        rows = [request(session, staff(cast)) for _i in range(4)]
        services.session_allocate(session_id=session.pk, seed=123)
        done = sorted(Enrollment.objects.filter(pk__in=[r.pk for r in rows]), key=lambda e: e.rank)
        assert [e.draw for e in done] == sorted(e.draw for e in done)

    def test_undersubscribed_admits_everyone_and_generates_a_seed(self, cast):
        session = closed_session(capacity=10)
        for _i in range(3):
            request(session, staff(cast))
        services.session_allocate(session_id=session.pk)
        session.refresh_from_db()
        assert session.allocation_seed is not None and session.seats_taken == 3
        assert set(session.enrollments.values_list("status", flat=True)) == {"admitted"}

    def test_idempotent(self, cast):
        session = closed_session(capacity=1)
        for _i in range(3):
            request(session, staff(cast))
        services.session_allocate(session_id=session.pk, seed=1)
        before = list(session.enrollments.values_list("pk", "status", "rank"))
        services.session_allocate(session_id=session.pk, seed=2)
        assert list(session.enrollments.values_list("pk", "status", "rank")) == before
        session.refresh_from_db()
        assert session.allocation_seed == 1 and session.seats_taken == 1

    def test_not_before_the_window_closes(self, cast):
        session = SessionFactory()
        with pytest.raises(ValidationError, match="setelah masa pendaftaran ditutup"):
            services.session_allocate(session_id=session.pk)
        session.refresh_from_db()
        assert session.allocated_at is None

    def test_beat_task_allocates_due_sessions_only(self, cast, django_capture_on_commit_callbacks):
        from training.tasks import allocate_due_sessions

        due = closed_session(capacity=1)
        request(due, staff(cast))
        still_open = SessionFactory()
        with django_capture_on_commit_callbacks(execute=True):  # one job per due session, on commit
            assert allocate_due_sessions.delay().get() == 1
        due.refresh_from_db()
        still_open.refresh_from_db()
        assert due.allocated_at is not None and still_open.allocated_at is None
        assert allocate_due_sessions.delay().get() == 0


class TestWaitlist:
    def allocated(self, cast, capacity=1, n=3):
        session = closed_session(capacity=capacity)
        rows = [request(session, staff(cast)) for _i in range(n)]
        services.session_allocate(session_id=session.pk, seed=5)
        return session, sorted(Enrollment.objects.filter(pk__in=[r.pk for r in rows]), key=lambda e: e.rank)

    def test_cancel_promotes_the_next_in_rank_and_notifies(self, cast, django_capture_on_commit_callbacks):
        session, (first, second, third) = self.allocated(cast)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.enrollment_cancel(enrollment=first)
        states = dict(Enrollment.objects.filter(session=session).values_list("pk", "status"))
        assert states == {first.pk: "cancelled", second.pk: "admitted", third.pk: "waitlisted"}
        session.refresh_from_db()
        assert session.seats_taken == 1
        assert [m.subject.split(":")[0] for m in mail.outbox] == ["Ada kursi kosong untuk Anda"]
        assert Notice.objects.filter(enrollment=second, kind="promoted").exists()

    def test_waitlisted_cancel_frees_nothing(self, cast):
        session, (first, second, third) = self.allocated(cast)
        services.enrollment_cancel(enrollment=second)
        assert Enrollment.objects.get(pk=third.pk).status == "waitlisted"
        session.refresh_from_db()
        assert session.seats_taken == 1

    def test_cancel_refused_after_the_start(self, cast):
        session, (first, *_rest) = self.allocated(cast)
        Session.objects.filter(pk=session.pk).update(start_date=days(0), end_date=days(1))
        with pytest.raises(ValidationError, match="sudah dimulai"):
            services.enrollment_cancel(enrollment=first)
        assert Enrollment.objects.get(pk=first.pk).status == "admitted"

    def test_cancel_twice_refused(self, cast):
        _session, (first, *_rest) = self.allocated(cast)
        services.enrollment_cancel(enrollment=first)
        with pytest.raises(ValidationError, match="tidak dapat dibatalkan lagi"):
            services.enrollment_cancel(enrollment=first)

    def test_notification_sent_once_even_if_retried(self, cast, django_capture_on_commit_callbacks):
        _session, (first, *_rest) = self.allocated(cast)
        mail.outbox.clear()
        # (the allocation's on_commit notices never ran inside this test's transaction)
        with django_capture_on_commit_callbacks(execute=True):  # the mail job leaves on commit
            assert services.notice_send(enrollment_id=first.pk, kind="admitted") is True
            assert services.notice_send(enrollment_id=first.pk, kind="admitted") is False
        assert len(mail.outbox) == 1

    def test_capacity_cut_below_taken_seats_is_refused(self, cast):
        session, _rows = self.allocated(cast, capacity=2, n=3)
        session.capacity = 1
        with pytest.raises(ValidationError, match="tidak boleh kurang dari"):
            services.session_save(session=session)
        session.refresh_from_db()
        assert session.capacity == 2

    def test_capacity_raise_then_promotion_by_admit(self, cast):
        session, (first, second, third) = self.allocated(cast, capacity=1, n=3)
        session.capacity = 2
        services.session_save(session=session)
        assert services.waitlist_promote(session_id=session.pk).pk == second.pk
        assert services.waitlist_promote(session_id=session.pk) is None  # full again
        assert Enrollment.objects.get(pk=third.pk).status == "waitlisted"


def test_reminder_the_day_before(cast, django_capture_on_commit_callbacks):
    from training.tasks import send_reminders

    session = closed_session(capacity=2, start_date=days(12), end_date=days(13))
    admitted = request(session, staff(cast, email="hadir@example.go.id"))
    services.session_allocate(session_id=session.pk, seed=1)
    mail.outbox.clear()
    with time_machine.travel(at(days(10)), tick=False):
        assert send_reminders.delay().get() == 0  # two days before: nothing
    with time_machine.travel(at(days(11)), tick=False):
        with django_capture_on_commit_callbacks(execute=True):  # the notice job leaves on commit
            assert send_reminders.delay().get() == 1
        assert send_reminders.delay().get() == 0  # sent once
    assert [m.to for m in mail.outbox] == [["hadir@example.go.id"]]
    assert mail.outbox[0].subject.startswith("Besok")
    assert Notice.objects.filter(enrollment=admitted, kind="reminder").count() == 1


# ----- attendance, completion, feedback --------------------------------------------------------


@pytest.fixture
def running(cast):
    """A 3-day session (12 to 14 days from today) allocated with two admitted and one waitlisted."""
    session = closed_session(capacity=2, programme__jp=24)
    people = [staff(cast) for _i in range(3)]
    rows = [request(session, p) for p in people]
    services.session_allocate(session_id=session.pk, seed=3)
    ordered = sorted(Enrollment.objects.filter(pk__in=[r.pk for r in rows]), key=lambda e: e.rank)
    return session, ordered


class TestAttendance:
    def test_record_and_update_a_day(self, cast, running):
        session, (a, b, w) = running
        hr = cast.users["hr"]
        services.attendance_record(session=session, day=days(12), present_ids={a.pk}, user=hr)
        services.attendance_record(session=session, day=days(12), present_ids={a.pk, b.pk}, user=hr)
        assert Attendance.objects.filter(day=days(12), present=True).count() == 2
        assert Attendance.objects.count() == 2

    def test_non_participant_refused_and_nothing_saved(self, cast, running):
        session, (a, _b, waitlisted) = running
        with pytest.raises(ValidationError, match="hanya dapat dicatat untuk peserta yang diterima"):
            services.attendance_record(
                session=session, day=days(12), present_ids={a.pk, waitlisted.pk}, user=None
            )
        assert not Attendance.objects.exists()

    def test_day_outside_the_session_refused(self, cast, running):
        session, (a, _b, _w) = running
        with pytest.raises(ValidationError, match="bukan hari pelaksanaan"):
            services.attendance_record(session=session, day=days(15), present_ids={a.pk}, user=None)
        assert not Attendance.objects.exists()


class TestCompletion:
    def test_full_attendance_completes_and_grants_jp(self, cast, running):
        session, (a, b, _w) = running
        for day in session.days():
            services.attendance_record(session=session, day=day, present_ids={a.pk}, user=None)
        services.attendance_record(session=session, day=days(12), present_ids={a.pk, b.pk}, user=None)
        with time_machine.travel(at(days(14)), tick=False):  # the last day
            assert services.session_complete(session_id=session.pk) == 1
        a.refresh_from_db()
        b.refresh_from_db()
        assert (a.status, a.jp_granted, a.completed_on) == ("completed", 24, days(14))
        assert len(a.certificate_code) == 12
        assert (b.status, b.jp_granted, b.certificate_code) == ("not_completed", 0, None)
        with time_machine.travel(at(days(14)), tick=False), pytest.raises(ValidationError):
            services.session_complete(session_id=session.pk)

    def test_not_before_the_last_day(self, cast, running):
        session, _rows = running
        with time_machine.travel(at(days(13)), tick=False), pytest.raises(ValidationError):
            services.session_complete(session_id=session.pk)
        session.refresh_from_db()
        assert session.completed_at is None


class TestFeedback:
    def test_only_who_attended(self, cast, running):
        session, (a, b, _w) = running
        services.attendance_record(session=session, day=days(12), present_ids={a.pk}, user=None)
        services.feedback_submit(enrollment=a, session_rating=5, trainer_rating=4, comment="Bagus")
        with pytest.raises(ValidationError, match="sudah memberi umpan balik"):
            services.feedback_submit(enrollment=a, session_rating=1, trainer_rating=1)
        with pytest.raises(ValidationError, match="peserta yang hadir"):
            services.feedback_submit(enrollment=b, session_rating=5, trainer_rating=5)
        assert Feedback.objects.count() == 1

    def test_rating_out_of_range(self, cast, running):
        session, (a, _b, _w) = running
        services.attendance_record(session=session, day=days(12), present_ids={a.pk}, user=None)
        with pytest.raises(ValidationError):
            services.feedback_submit(enrollment=a, session_rating=6, trainer_rating=3)
        assert not Feedback.objects.exists()
