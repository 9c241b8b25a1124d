"""The training demo, built around the day it runs: past sessions completed (this year once the year is
a week or so old), one allocated, one open for requests, one upcoming."""

import datetime as dt
import random

import pytest
import time_machine

from asnportal.org.demo import seed_core
from asnportal.org.models import Region
from asnportal.org.regions import regions_ensure
from training import demo, selectors
from training.models import Enrollment, Feedback, Programme, Session

from ..clock import TODAY, at

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_gives_the_demo_staff_jp():
    regions_ensure(Region)  # a transactional test's flush may have removed the migration's rows
    seed_core(random.Random(2026))
    assert demo.seed(rng=random.Random("2026-training")) == []
    counts = (
        Programme.objects.count(),
        Session.objects.count(),
        Enrollment.objects.count(),
        Feedback.objects.count(),
    )
    demo.seed(rng=random.Random("2026-training"))
    assert (
        Programme.objects.count(),
        Session.objects.count(),
        Enrollment.objects.count(),
        Feedback.objects.count(),
    ) == counts
    assert Programme.objects.filter(region__isnull=True).count() == 3
    for code in ("bengkulu", "sorong", "bungo"):
        mine = Enrollment.objects.filter(employee__user__username=f"pegawai.{code}", status="completed")
        assert mine.exists() and mine.first().certificate_code
        enrollment = mine.first()
        employee, year = enrollment.employee, enrollment.completed_on.year
        assert enrollment.completed_on < TODAY
        assert selectors.jp_of(employee_id=employee.pk, year=year) >= 20
        below = selectors.below_20(region_ids=[employee.region_id], year=year)
        assert below.count() > 10
        states = set(Session.objects.filter(region__code=code).values_list("allocated_at", flat=True))
        assert None in states and len(states) > 1  # open/upcoming and allocated sessions
        assert Enrollment.objects.filter(session__region__code=code, status="waitlisted").exists()
        sessions = Session.objects.filter(region__code=code)
        ahead = sessions.filter(start_date__gt=TODAY, enroll_opens__lte=TODAY, enroll_closes__gte=TODAY)
        assert ahead.exists()  # the demo staff can still ask for a seat
        assert sessions.filter(completed_at__isnull=False, end_date__lt=TODAY).count() == 2


@pytest.mark.parametrize(
    "today, past_year",
    [
        (dt.date(2027, 1, 4), 2026),  # Triwulan I days old: the past classes ran last December
        (dt.date(2027, 1, 20), 2027),  # from the first working days of January on
        (dt.date(2028, 2, 29), 2028),
        (dt.date(2028, 6, 15), 2028),
    ],
)
def test_past_sessions_fall_in_this_year_when_they_fit(today, past_year):
    regions_ensure(Region)
    with time_machine.travel(at(today), tick=False):
        seed_core(random.Random(2026))
        demo.seed(rng=random.Random("2026-training"))
    region = Region.objects.get(code="bengkulu")
    past = list(Session.objects.filter(region=region, completed_at__isnull=False).order_by("start_date"))
    assert len(past) == 2
    assert {s.start_date.year for s in past} == {past_year}
    assert all(s.end_date < today for s in past)
    assert past[0].end_date < past[1].start_date  # the two classes never overlap
    staff = Enrollment.objects.get(employee__user__username="pegawai.bengkulu", status="completed")
    assert selectors.jp_of(employee_id=staff.employee_id, year=past_year) >= 20
