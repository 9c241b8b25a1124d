"""Appraisal worked examples, IKM as a KPI source, locking and corrections; the whole year end to end."""

import datetime as dt
import sys
import types
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from performance import selectors, services
from performance.models import ActivityLog, Appraisal, Plan, Predikat

from ..clock import TODAY
from ..org.factories import EmployeeFactory
from .factories import agreed_plan, approved_log, behaviour, open_period

pytestmark = pytest.mark.django_db
# Last year: every quarter of it is over, whatever TODAY is; the worked examples are about its calendar
# (the quarter boundaries), built with dates that exist in every year.
YEAR = TODAY.year - 1


@pytest.fixture
def team(cast):
    staff, boss = cast.objects["staff_employee"], cast.objects["supervisor_employee"]
    _plan, kpis = agreed_plan(staff, YEAR, [("Berkas diverifikasi", 240, 60), ("Data dimutakhirkan", 40, 40)])
    return staff, boss, kpis


def test_worked_example_triwulan_iii(cast, team):
    staff, boss, (a, b) = team
    period = open_period(cast.region_a, YEAR, "tw3")
    # KPI A: target 240/year -> 180 by Triwulan III; 216 approved = 1.2. KPI B: 40 -> 30; 24 approved = 0.8.
    approved_log(staff, a, dt.date(YEAR, 2, 10), 100)
    approved_log(staff, a, dt.date(YEAR, 9, 30), 116)
    approved_log(staff, b, dt.date(YEAR, 8, 1), 24)
    # Not counted: waiting, returned, and after the period's end.
    approved_log(staff, a, dt.date(YEAR, 10, 1), 500)
    ActivityLog.objects.create(
        employee=staff,
        indicator=b,
        date=dt.date(YEAR, 8, 2),
        quantity=50,
        duration_minutes=30,
        description="x",
    )
    appraisal = services.appraisal_rate(
        supervisor=boss, employee=staff, period=period, behaviour=behaviour("di_atas", loyal="sesuai")
    )
    rows = {r["indicator"]: r for r in appraisal.computation["rows"]}
    assert rows["Berkas diverifikasi"]["target"] == "180.00"
    assert rows["Berkas diverifikasi"]["achievement"] == "1.2000"
    assert rows["Data dimutakhirkan"]["achievement"] == "0.8000"
    # (60 × 1.2 + 40 × 0.8) / 100 = 1.04 -> between 0.90 and 1.10: sesuai ekspektasi.
    assert appraisal.achievement == Decimal("1.0400")
    assert appraisal.work_rating == "sesuai"
    assert appraisal.behaviour_rating == "di_atas"  # 6 above, none below
    assert appraisal.predikat == Predikat.BAIK


def test_appraisal_only_by_the_direct_supervisor(cast, team):
    staff, _boss, _k = team
    period = open_period(cast.region_a, YEAR, "tw3")
    with pytest.raises(PermissionDenied):
        services.appraisal_rate(supervisor=staff, employee=staff, period=period, behaviour=behaviour())
    with pytest.raises(ValidationError):
        services.appraisal_rate(
            supervisor=cast.objects["supervisor_employee"],
            employee=staff,
            period=period,
            behaviour={"loyal": "sesuai"},
        )
    assert not Appraisal.objects.exists()


def test_ikm_kpi_reads_the_feedback_selector(cast, monkeypatch):
    staff, boss = cast.objects["staff_employee"], cast.objects["supervisor_employee"]
    _p, (kpi,) = agreed_plan(staff, YEAR, [("IKM unit layanan", 80, 100)], source="ikm")
    period = open_period(cast.region_a, YEAR, "tw2")
    calls = []

    def ikm_for_unit(*, unit_id, start, end):
        calls.append((unit_id, start, end))
        return {"ikm": Decimal("88.00"), "category": "B Baik", "respondents": 120}

    fake = types.ModuleType("feedback.selectors")
    fake.ikm_for_unit = ikm_for_unit
    import feedback

    monkeypatch.setitem(sys.modules, "feedback.selectors", fake)
    monkeypatch.setattr(feedback, "selectors", fake, raising=False)
    appraisal = services.appraisal_rate(supervisor=boss, employee=staff, period=period, behaviour=behaviour())
    assert calls == [(staff.unit_id, dt.date(YEAR, 1, 1), dt.date(YEAR, 6, 30))]
    # An index is compared with the whole target: 88 / 80 = 1.10 -> di atas ekspektasi.
    assert appraisal.computation["rows"][0]["achievement"] == "1.1000"
    assert appraisal.work_rating == "di_atas"


def test_ikm_kpi_without_the_feedback_function_counts_zero(cast, monkeypatch):
    staff = cast.objects["staff_employee"]
    agreed_plan(staff, YEAR, [("IKM", 80, 100)], source="ikm")
    period = open_period(cast.region_a, YEAR, "tw2")
    import feedback

    monkeypatch.setitem(sys.modules, "feedback.selectors", types.ModuleType("feedback.selectors"))
    monkeypatch.setattr(feedback, "selectors", sys.modules["feedback.selectors"], raising=False)
    computed = services.appraisal_compute(employee=staff, period=period)
    assert computed["rows"][0]["realisation"] == "0"
    assert computed["work_rating"] == "di_bawah"


def test_locked_when_the_period_closes_and_corrected_as_a_new_version(cast, team):
    staff, boss, (a, _b) = team
    period = open_period(cast.region_a, YEAR, "tw1")
    first = services.appraisal_rate(supervisor=boss, employee=staff, period=period, behaviour=behaviour())
    again = services.appraisal_rate(
        supervisor=boss, employee=staff, period=period, behaviour=behaviour("di_atas")
    )
    assert again.pk == first.pk and again.version == 1  # while open: the same version is updated
    services.period_close(period=period)
    with pytest.raises(ValidationError):
        services.appraisal_rate(supervisor=boss, employee=staff, period=period, behaviour=behaviour())
    with pytest.raises(ValidationError):
        services.appraisal_correct(supervisor=boss, appraisal=again, behaviour=behaviour(), reason="")
    corrected = services.appraisal_correct(
        supervisor=boss, appraisal=again, behaviour=behaviour("di_bawah"), reason="Salah input nilai perilaku"
    )
    assert corrected.version == 2 and corrected.is_current and corrected.reason
    assert corrected.predikat == Predikat.SANGAT_KURANG  # no logs -> di bawah; behaviour di bawah
    first.refresh_from_db()
    assert not first.is_current and first.behaviour_rating == "di_atas"  # the old version is kept


def test_low_rated_competencies_from_the_latest_appraisal(cast, team):
    staff, boss, _k = team
    tw1 = open_period(cast.region_a, YEAR, "tw1")
    tw2 = open_period(cast.region_a, YEAR, "tw2")
    services.appraisal_rate(
        supervisor=boss, employee=staff, period=tw1, behaviour=behaviour(harmonis="di_bawah")
    )
    services.appraisal_rate(
        supervisor=boss,
        employee=staff,
        period=tw2,
        behaviour=behaviour(kompeten="di_bawah", adaptif="di_bawah"),
    )
    result = selectors.low_rated_competencies(employee_ids=[staff.pk, boss.pk])
    assert result == {staff.pk: ["adaptif", "kompeten"]}
    assert selectors.low_rated_competencies(employee_ids=[]) == {}


def test_whole_year_end_to_end(cast):
    """Plan -> logs -> review -> quarterly evaluations -> annual predikat -> talent box."""
    head = EmployeeFactory(unit=cast.unit_a, position=cast.objects["position_a"])
    boss = cast.objects["supervisor_employee"]
    boss.supervisor = head
    boss.save()
    staff = cast.objects["staff_employee"]
    boss_plan, _ = agreed_plan(boss, YEAR, [("Layanan tepat waktu", 100, 100)])
    # The staff member drafts, cascading from the supervisor's result, and the supervisor agrees.
    plan = services.plan_get_or_create(employee=staff, year=YEAR)
    result = services.result_add(plan=plan, text="Berkas terverifikasi", parent_id=boss_plan.results.get().pk)
    kpi = services.indicator_add(
        result=result, text="Berkas", target=Decimal(200), unit="berkas", weight=Decimal(100), source="logs"
    )
    services.plan_submit(plan=plan)
    services.plan_agree(plan=plan, supervisor=boss)
    periods = {k: open_period(cast.region_a, YEAR, k) for k in ("tw1", "tw2", "tw3", "tw4")}
    # 12 logs a quarter (one returned) against cumulative targets of 50, 100, 150 and 200 berkas.
    quarter_quantities = {"tw1": 3, "tw2": 5, "tw3": 4, "tw4": 6}
    for kind, per_log in quarter_quantities.items():
        period = periods[kind]
        with time_machine.travel(dt.datetime.combine(period.end, dt.time(10)), tick=False):
            ids = []
            day = period.start
            for _i in range(12):
                while day.weekday() >= 5:
                    day += dt.timedelta(days=1)
                log = services.log_create(
                    employee=staff,
                    indicator_id=kpi.pk,
                    date=day,
                    quantity=Decimal(per_log),
                    duration_minutes=60,
                    description="Verifikasi",
                )
                ids.append(log.pk)
                day += dt.timedelta(days=1)
            services.log_review(reviewer=boss, log_ids=ids[:-1], approve=True)
            services.log_review(reviewer=boss, log_ids=ids[-1:], approve=False, comment="Bukti kurang")
            # 11 approved logs. Cumulative approved: tw1 33/50=0.66; tw2 88/100=0.88; tw3 132/150=0.88;
            # tw4 198/200=0.99.
            ratings = behaviour("di_atas") if kind == "tw4" else behaviour("sesuai")
            appraisal = services.appraisal_rate(
                supervisor=boss, employee=staff, period=period, behaviour=ratings
            )
            services.period_close(period=period)
        realised = {"tw1": "33.00", "tw2": "88.00", "tw3": "132.00", "tw4": "198.00"}[kind]
        assert appraisal.computation["rows"][0]["realisation"] == realised
    tw1 = Appraisal.objects.get(period=periods["tw1"])
    assert (tw1.achievement, tw1.predikat) == (Decimal("0.6600"), Predikat.BUTUH_PERBAIKAN)
    tw2 = Appraisal.objects.get(period=periods["tw2"])
    assert (tw2.achievement, tw2.work_rating, tw2.predikat) == (
        Decimal("0.8800"),
        "di_bawah",
        Predikat.BUTUH_PERBAIKAN,
    )
    annual = Appraisal.objects.get(period=periods["tw4"])
    assert (annual.achievement, annual.work_rating) == (Decimal("0.9900"), "sesuai")
    assert annual.predikat == Predikat.BAIK  # sesuai × di atas
    # Talent: HR records a high potential -> Baik = middle row, high potential = box 8 (talent pool).
    services.potential_record(user=cast.users["hr"], employee=staff, year=YEAR, potential="tinggi")
    pool = list(selectors.talent_pool(region_id=cast.region_a.pk, year=YEAR))
    assert [(e.pk, e.box) for e in pool] == [(staff.pk, 8)]
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.AGREED
