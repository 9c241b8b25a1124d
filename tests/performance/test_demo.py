"""The performance demo around the day it runs: deterministic for a seed and a day, idempotent, right on
the first days of a year (the logs reach into last year's Triwulan IV-Akhir) and, run again on a later
day, it adds only what that day needs."""

import datetime as dt
import random

import pytest
import time_machine
from django.db import transaction
from django.db.models import Count

from asnportal.org.demo import quarter_shift, quarter_start, seed_core, working_days
from asnportal.org.models import Region
from asnportal.org.regions import regions_ensure
from performance import demo
from performance.models import ActivityLog, Appraisal, FeedbackMessage, Period, Plan, TalentPotential

from ..clock import TODAY, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def core(db):
    regions_ensure(Region)
    seed_core(random.Random(2026))


def seed_on(day: dt.date, hour: int = 10) -> None:
    with time_machine.travel(at(day, hour), tick=False):
        demo.seed(rng=random.Random("2026-performance"))


def state() -> tuple:
    """What the demo built, by natural keys (never primary keys, which sequences move on)."""
    logs = ActivityLog.objects.order_by("employee__nip", "date", "indicator__text")
    appraisals = Appraisal.objects.order_by("employee__nip", "period__year", "period__kind")
    return (
        list(logs.values_list("employee__nip", "date", "indicator__text", "quantity", "status")),
        list(appraisals.values_list("employee__nip", "period__year", "period__kind", "predikat")),
        list(
            Period.objects.order_by("region__code", "year", "kind").values_list(
                "region__code", "year", "kind", "status"
            )
        ),
        list(
            TalentPotential.objects.order_by("employee__nip", "year").values_list(
                "employee__nip", "year", "potential"
            )
        ),
        FeedbackMessage.objects.count(),
        Plan.objects.count(),
    )


def test_same_seed_and_day_build_the_same_data(core):
    with transaction.atomic():
        seed_on(TODAY)
        first = state()
        transaction.set_rollback(True)
    assert not ActivityLog.objects.exists()
    seed_on(TODAY)
    assert state() == first
    seed_on(TODAY)
    assert state() == first, "running the demo twice changes nothing"


def test_first_monday_of_the_year_reaches_into_last_years_fourth_quarter(core):
    seed_on(dt.date(2027, 1, 4))
    for region in Region.objects.all():
        assert set(Period.objects.filter(region=region).values_list("year", "kind")) == {
            (2026, "tw1"),
            (2026, "tw2"),
            (2026, "tw3"),
            (2026, "tw4"),
            (2027, "tw1"),
        }
        tw4 = Period.objects.get(region=region, year=2026, kind="tw4")
        assert tw4.is_closed and tw4.appraisals.filter(predikat="sangat_baik").exists()
        assert Period.objects.get(region=region, year=2027, kind="tw1").status == "open"
        logs = ActivityLog.objects.filter(employee__region=region)
        assert logs.filter(date__year=2026).exists() and logs.filter(date=dt.date(2027, 1, 1)).exists()
        # Each log counts for the SKP of its own year; last year's are all reviewed.
        assert not logs.filter(date__year=2026).exclude(indicator__result__plan__year=2026).exists()
        assert not logs.filter(date__year=2027).exclude(indicator__result__plan__year=2027).exists()
        assert not logs.filter(date__year=2026, status="submitted").exists()
        assert logs.filter(date__year=2027, status="submitted").exists()
        for year in (2026, 2027):
            assert (
                not Plan.objects.filter(employee__region=region, year=year).exclude(status="agreed").exists()
            )


DAYS = sorted({TODAY, dt.date(2027, 4, 1), dt.date(2027, 7, 15), dt.date(2028, 2, 29), dt.date(2029, 6, 30)})


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_what_the_demo_shows_on_any_day(core, day):
    seed_on(day)
    current = quarter_start(day)
    previous = quarter_shift(current, -1)
    for region in Region.objects.all():
        assert Period.objects.get(region=region, start=current).status == "open"
        last = Period.objects.get(region=region, start=previous)
        assert last.is_closed
        # The appraisal spreads over the predikat: the awards list and the distribution warnings
        # have something to show, whichever quarter was appraised.
        predikat = set(last.appraisals.values_list("predikat", flat=True))
        assert "sangat_baik" in predikat and predikat & {"butuh_perbaikan", "kurang", "sangat_kurang"}
        logs = ActivityLog.objects.filter(employee__region=region)
        assert logs.filter(status="returned", messages__isnull=False).exists()
        # The review queue holds the open quarter's recent logs once one of its working days is over.
        if working_days(current, day - dt.timedelta(days=1)):
            assert logs.filter(status="submitted", date__gte=current).exists()
        assert not logs.filter(status="submitted", date__lt=current).exists()
    if day == dt.date(2028, 2, 29):  # a Tuesday: yesterday's logs are in
        assert ActivityLog.objects.filter(date=dt.date(2028, 2, 28)).exists()


def test_a_later_run_adds_what_the_new_day_needs(core):
    seed_on(dt.date(2026, 12, 21))
    before = ActivityLog.objects.filter(date__lt=dt.date(2026, 12, 21)).count()
    seed_on(dt.date(2027, 1, 4))
    once = state()
    seed_on(dt.date(2027, 1, 4))
    assert state() == once
    # The logs of the first run are kept, the new days added, never two logs of a day per employee.
    assert ActivityLog.objects.filter(date__lt=dt.date(2026, 12, 21)).count() == before
    assert ActivityLog.objects.filter(date__range=(dt.date(2026, 12, 21), dt.date(2027, 1, 1))).exists()
    assert not ActivityLog.objects.values("employee", "date").annotate(n=Count("pk")).filter(n__gt=1).exists()
    for region in Region.objects.all():
        tw4 = Period.objects.get(region=region, year=2026, kind="tw4")
        assert tw4.is_closed and tw4.appraisals.exists()
        assert Period.objects.get(region=region, year=2027, kind="tw1").status == "open"
        assert Plan.objects.filter(employee__region=region, year=2027, status="agreed").exists()
        assert TalentPotential.objects.filter(employee__region=region, year=2027).exists()
        assert not ActivityLog.objects.filter(
            employee__region=region, status="submitted", date__range=(tw4.start, tw4.end)
        ).exists()
