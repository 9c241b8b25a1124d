"""Services: plans and their agreement, logs (local date, closed periods, own KPIs, evidence), review."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from performance import services
from performance.models import ActivityLog, Evidence, FeedbackMessage, Indicator, Plan, PlanVersion

from ..clock import TODAY, at, days, quarter_start
from ..org.factories import EmployeeFactory
from .factories import agreed_plan, current_period, log_days, open_period, png_upload, quarter_kind

pytestmark = pytest.mark.django_db
YEAR = TODAY.year


def _log(employee, indicator, date, **extra):
    values = {"quantity": Decimal(2), "duration_minutes": 90, "description": "Verifikasi berkas"} | extra
    return services.log_create(employee=employee, indicator_id=indicator.pk, date=date, **values)


# --- plans ---------------------------------------------------------------------------------------


def test_weights_must_total_exactly_100_to_submit(cast):
    staff = cast.objects["staff_employee"]
    plan = services.plan_get_or_create(employee=staff, year=YEAR)
    result = services.result_add(plan=plan, text="Hasil", parent_id=None)
    services.indicator_add(
        result=result, text="A", target=Decimal(10), unit="x", weight=Decimal(60), source="logs"
    )
    with translation.override("id"), pytest.raises(ValidationError) as exc:
        services.plan_submit(plan=plan)
    assert "100" in exc.value.messages[0]
    assert "harus" in exc.value.messages[0]  # a clear Indonesian message
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_weights_may_not_exceed_100(cast):
    plan = services.plan_get_or_create(employee=cast.objects["staff_employee"], year=YEAR)
    result = services.result_add(plan=plan, text="Hasil", parent_id=None)
    services.indicator_add(
        result=result, text="A", target=Decimal(10), unit="x", weight=Decimal(70), source="logs"
    )
    with pytest.raises(ValidationError):
        services.indicator_add(
            result=result, text="B", target=Decimal(10), unit="x", weight=Decimal(31), source="logs"
        )
    assert Indicator.objects.filter(result__plan=plan).count() == 1


def test_results_cascade_from_the_supervisors_plan(cast):
    staff, boss = cast.objects["staff_employee"], cast.objects["supervisor_employee"]
    boss_plan, _ = agreed_plan(boss, YEAR, [("Indeks merit", 100, 100)])
    plan = services.plan_get_or_create(employee=staff, year=YEAR)
    with pytest.raises(ValidationError):
        services.result_add(plan=plan, text="Tanpa induk", parent_id=None)
    other_plan, _ = agreed_plan(cast.objects["other_region_employee"], YEAR, [("X", 1, 100)])
    with pytest.raises(ValidationError):
        services.result_add(plan=plan, text="Induk salah", parent_id=other_plan.results.get().pk)
    result = services.result_add(plan=plan, text="Turunan", parent_id=boss_plan.results.get().pk)
    assert result.parent.plan == boss_plan


def test_only_the_direct_supervisor_agrees_and_history_is_kept(cast):
    staff, boss = cast.objects["staff_employee"], cast.objects["supervisor_employee"]
    stranger = EmployeeFactory(unit=cast.unit_a)
    plan = services.plan_get_or_create(employee=staff, year=YEAR)
    result = services.result_add(plan=plan, text="Hasil", parent_id=None)
    services.indicator_add(
        result=result, text="A", target=Decimal(10), unit="x", weight=Decimal(100), source="logs"
    )
    services.plan_submit(plan=plan)
    with pytest.raises(PermissionDenied):
        services.plan_agree(plan=plan, supervisor=stranger)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED and not PlanVersion.objects.exists()

    services.plan_agree(plan=plan, supervisor=boss)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.AGREED and plan.version == 1
    # A change after agreement: new version, needs a new agreement, the agreed one stays in history.
    with pytest.raises(ValidationError):
        services.plan_revise(plan=plan, reason=" ")
    services.plan_revise(plan=plan, reason="Tambah target layanan")
    plan.refresh_from_db()
    assert (plan.status, plan.version) == (Plan.Status.DRAFT, 2)
    ind = Indicator.objects.get(result__plan=plan)
    services.indicator_remove(indicator=ind)  # agreed KPI: kept (logs may point at it) but removed
    ind.refresh_from_db()
    assert ind.removed
    services.indicator_add(
        result=result, text="B", target=Decimal(20), unit="x", weight=Decimal(100), source="logs"
    )
    services.plan_submit(plan=plan)
    services.plan_agree(plan=plan, supervisor=boss)
    versions = list(PlanVersion.objects.filter(plan=plan).order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].snapshot[0]["kpis"][0]["indicator"] == "A"
    assert versions[1].snapshot[0]["kpis"][0]["indicator"] == "B"
    assert versions[1].change_reason == "Tambah target layanan"


def test_return_needs_a_note(cast):
    staff, boss = cast.objects["staff_employee"], cast.objects["supervisor_employee"]
    plan = services.plan_get_or_create(employee=staff, year=YEAR)
    result = services.result_add(plan=plan, text="Hasil", parent_id=None)
    services.indicator_add(
        result=result, text="A", target=Decimal(10), unit="x", weight=Decimal(100), source="logs"
    )
    services.plan_submit(plan=plan)
    with pytest.raises(ValidationError):
        services.plan_return(plan=plan, supervisor=boss, note="")
    services.plan_return(plan=plan, supervisor=boss, note="Target terlalu rendah")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and plan.return_note == "Target terlalu rendah"


# --- logs ----------------------------------------------------------------------------------------


@pytest.fixture
def sorong_staff(cast):
    boss = EmployeeFactory(unit=cast.unit_b, position=cast.objects["position_b"])
    staff = EmployeeFactory(unit=cast.unit_b, position=cast.objects["position_b"], supervisor=boss)
    _plan, indicators = agreed_plan(staff, YEAR)
    return staff, indicators[0]


def test_log_date_is_the_local_date_in_sorong_at_midnight(cast, sorong_staff):
    staff, indicator = sorong_staff
    bengkulu = cast.objects["staff_employee"]
    _p, (bengkulu_kpi, _b) = agreed_plan(bengkulu, YEAR)
    # 22:30 yesterday in Bengkulu (UTC+7) = 00:30 today in Sorong (UTC+9): the evening before TODAY.
    with time_machine.travel(at(days(-1), 22, 30), tick=False):
        assert services.local_today(staff) == TODAY
        log = _log(staff, indicator, TODAY)
        assert log.date == TODAY
        with pytest.raises(ValidationError) as exc:
            _log(bengkulu, bengkulu_kpi, TODAY)
        assert "date" in exc.value.error_dict
    # One minute before local midnight in Sorong, TODAY is still the future there.
    with time_machine.travel(at(days(-1), 21, 59), tick=False), pytest.raises(ValidationError):
        _log(staff, indicator, TODAY)
    assert ActivityLog.objects.count() == 1


def test_log_in_a_closed_period_is_refused_with_a_clear_message(cast):
    staff = cast.objects["staff_employee"]
    _p, (kpi, _b) = agreed_plan(staff, YEAR)
    # The previous quarter, closed: on 4 January it is Triwulan IV-Akhir of last year.
    last_day = quarter_start(TODAY) - dt.timedelta(days=1)
    period = open_period(cast.region_a, last_day.year, quarter_kind(last_day))
    services.period_close(period=period)
    with translation.override("id"), pytest.raises(ValidationError) as exc:
        _log(staff, kpi, last_day)
    assert "ditutup" in exc.value.message_dict["date"][0]
    assert not ActivityLog.objects.exists()
    assert _log(staff, kpi, quarter_start(TODAY)).pk  # this quarter has no closed period


def test_log_for_someone_elses_or_unagreed_kpi_is_refused(cast):
    staff, boss = cast.objects["staff_employee"], cast.objects["supervisor_employee"]
    _p, (boss_kpi,) = agreed_plan(boss, YEAR, [("Indeks", 100, 100)])
    with pytest.raises(ValidationError) as exc:
        _log(staff, boss_kpi, TODAY)
    assert "indicator" in exc.value.error_dict
    plan = services.plan_get_or_create(employee=staff, year=YEAR)
    result = services.result_add(plan=plan, text="Hasil", parent_id=boss_kpi.result_id)
    draft_kpi = services.indicator_add(
        result=result, text="A", target=Decimal(5), unit="x", weight=Decimal(100), source="logs"
    )
    with pytest.raises(ValidationError):
        _log(staff, draft_kpi, TODAY)
    assert not ActivityLog.objects.exists()


def test_log_with_evidence_checks_the_real_content(cast):
    staff = cast.objects["staff_employee"]
    _p, (kpi, _b) = agreed_plan(staff, YEAR)
    fake = SimpleUploadedFile("foto.png", b"MZ\x90\x00 not an image at all", content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        _log(staff, kpi, TODAY, evidence_file=fake)
    assert "evidence" in exc.value.error_dict
    broken = SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, content_type="image/png")
    with pytest.raises(ValidationError):
        _log(staff, kpi, TODAY, evidence_file=broken)
    big = SimpleUploadedFile(
        "besar.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024), content_type="application/pdf"
    )
    with pytest.raises(ValidationError):
        _log(staff, kpi, TODAY, evidence_file=big)
    assert not ActivityLog.objects.exists() and not Evidence.objects.exists()
    pdf = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    assert _log(staff, kpi, TODAY, evidence_file=pdf).evidence.content_type == "application/pdf"
    assert _log(staff, kpi, TODAY, evidence_file=png_upload()).evidence.content_type == "image/png"
    assert io.BytesIO(bytes(Evidence.objects.first().content)).read(4) == b"%PDF"


# --- review and feedback -------------------------------------------------------------------------


@pytest.fixture
def waiting(cast):
    staff = cast.objects["staff_employee"]
    _p, (kpi, _b) = agreed_plan(staff, YEAR)
    return [_log(staff, kpi, day) for day in log_days(3)]


def test_bulk_approve_with_a_comment_opens_threads(cast, waiting):
    boss = cast.objects["supervisor_employee"]
    n = services.log_review(reviewer=boss, log_ids=[lg.pk for lg in waiting], approve=True, comment="Bagus")
    assert n == 3
    assert set(ActivityLog.objects.values_list("status", flat=True)) == {ActivityLog.Status.APPROVED}
    assert FeedbackMessage.objects.filter(body="Bagus", author=boss).count() == 3


def test_review_by_someone_who_is_not_the_supervisor_changes_nothing(cast, waiting):
    stranger = EmployeeFactory(unit=cast.unit_a)
    with pytest.raises(PermissionDenied):
        services.log_review(reviewer=stranger, log_ids=[waiting[0].pk], approve=True)
    # The staff member cannot approve their own logs either.
    with pytest.raises(PermissionDenied):
        services.log_review(reviewer=cast.objects["staff_employee"], log_ids=[waiting[0].pk], approve=True)
    assert set(ActivityLog.objects.values_list("status", flat=True)) == {ActivityLog.Status.SUBMITTED}


def test_bulk_review_is_all_or_nothing(cast, waiting):
    boss = cast.objects["supervisor_employee"]
    services.log_review(reviewer=boss, log_ids=[waiting[0].pk], approve=True)
    with pytest.raises(ValidationError):
        services.log_review(reviewer=boss, log_ids=[lg.pk for lg in waiting], approve=True)
    assert ActivityLog.objects.filter(status=ActivityLog.Status.SUBMITTED).count() == 2
    with pytest.raises(ValidationError):
        services.log_review(reviewer=boss, log_ids=[waiting[1].pk], approve=False, comment="  ")
    with pytest.raises(ValidationError):
        services.log_review(reviewer=boss, log_ids=[], approve=True)


def test_returned_log_thread_and_correction(cast, waiting):
    staff, boss = cast.objects["staff_employee"], cast.objects["supervisor_employee"]
    log = waiting[0]
    services.log_review(reviewer=boss, log_ids=[log.pk], approve=False, comment="Lampirkan bukti")
    services.feedback_reply(log=log, author=staff, body="Baik, saya lengkapi")
    with pytest.raises(PermissionDenied):
        services.feedback_reply(log=log, author=EmployeeFactory(unit=cast.unit_a), body="Ikut komentar")
    assert [m.body for m in log.messages.all()] == ["Lampirkan bukti", "Baik, saya lengkapi"]
    services.log_resubmit(log=log, employee=staff, quantity=Decimal(3), description="Dengan bukti")
    log.refresh_from_db()
    assert log.status == ActivityLog.Status.SUBMITTED and log.quantity == 3
    with pytest.raises(ValidationError):
        services.log_resubmit(log=log, employee=staff, quantity=Decimal(3), description="Lagi")


def test_period_open_twice_and_close_twice_are_refused(cast):
    period = open_period(cast.region_a, YEAR, "tw1")
    assert (period.start, period.end) == (dt.date(YEAR, 1, 1), dt.date(YEAR, 3, 31))
    with pytest.raises(ValidationError):
        open_period(cast.region_a, YEAR, "tw1")
    with pytest.raises(ValidationError):
        open_period(cast.region_a, YEAR, "tw2", above_from=Decimal("0.8"), meets_from=Decimal("0.9"))
    services.period_close(period=period)
    with pytest.raises(ValidationError):
        services.period_close(period=period)


def test_review_of_a_log_in_a_closed_period_is_refused(cast, waiting):
    period = current_period(cast.region_a)  # the waiting logs are of this quarter
    services.period_close(period=period)
    with pytest.raises(ValidationError) as exc:
        services.log_review(
            reviewer=cast.objects["supervisor_employee"], log_ids=[waiting[0].pk], approve=True
        )
    assert str(period) in exc.value.messages[0]  # e.g. "Triwulan IV-Akhir 2026"
    assert ActivityLog.objects.get(pk=waiting[0].pk).status == ActivityLog.Status.SUBMITTED


def test_bulk_review_query_count_does_not_grow_with_the_selection(cast, django_assert_max_num_queries):
    staff, boss = cast.objects["staff_employee"], cast.objects["supervisor_employee"]
    _p, (kpi, _b) = agreed_plan(staff, YEAR)
    logs = ActivityLog.objects.bulk_create(
        ActivityLog(
            employee=staff,
            indicator=kpi,
            date=TODAY,
            quantity=1,
            duration_minutes=30,
            description="x",
        )
        for _i in range(200)
    )
    with django_assert_max_num_queries(8):
        services.log_review(reviewer=boss, log_ids=[lg.pk for lg in logs], approve=False, comment="Perbaiki")
    assert FeedbackMessage.objects.count() == 200
