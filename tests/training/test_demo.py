import random

import pytest

from asnportal.org.demo import seed_core
from asnportal.org.models import Region
from asnportal.org.regions import regions_ensure
from training import demo, selectors
from training.models import Enrollment, Feedback, Programme, Session

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_gives_the_demo_staff_jp(today):
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
        employee = mine.first().employee
        assert selectors.jp_of(employee_id=employee.pk, year=2026) >= 20
        below = selectors.below_20(region_ids=[employee.region_id], year=2026)
        assert below.count() > 10
        states = set(Session.objects.filter(region__code=code).values_list("allocated_at", flat=True))
        assert None in states and len(states) > 1  # open/upcoming and allocated sessions
        assert Enrollment.objects.filter(session__region__code=code, status="waitlisted").exists()
