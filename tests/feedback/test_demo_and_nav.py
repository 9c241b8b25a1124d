"""Demo data is deterministic and idempotent, built around the day it runs; the menu entries reach
the right people."""

import datetime as dt
import random

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from asnportal.accounts.nav import nav_items_for
from asnportal.org.demo import quarter_of, quarter_shift, quarter_start
from asnportal.org.models import Region, Unit
from feedback import demo
from feedback.models import (
    CitizenInput,
    ServicePopulation,
    ServiceUnit,
    SurveyResponse,
    SurveyToken,
)
from tests.org.factories import UnitFactory

from ..clock import TODAY, at

pytestmark = pytest.mark.django_db


def _units() -> None:
    # The org units the demo hangs its service units on (seeded by the core demo in real runs).
    for region in Region.objects.all():
        for code in ("DINKES", "DISDUKCAPIL", "DPMPTSP"):
            if not Unit.objects.filter(region=region, code=code).exists():
                UnitFactory(region=region, code=code, name=f"{code} {region.code}")


def test_demo_seed_is_idempotent_and_realistic(cast):
    _units()
    assert demo.seed(rng=random.Random("2026-feedback")) == []
    counts = (ServiceUnit.objects.count(), SurveyResponse.objects.count(), CitizenInput.objects.count())
    demo.seed(rng=random.Random("2026-feedback"))
    assert counts == (
        ServiceUnit.objects.count(),
        SurveyResponse.objects.count(),
        CitizenInput.objects.count(),
    )
    assert counts[0] == 9 and counts[1] > 300
    # Two quarters of responses, input in every state, used and unused tokens.
    assert SurveyResponse.objects.dates("submitted_on", "month").count() >= 4
    assert set(CitizenInput.objects.values_list("status", flat=True)) >= {"pending", "answered"}
    assert SurveyToken.objects.filter(used_at__isnull=True).exists()
    assert SurveyToken.objects.filter(used_at__isnull=False).exists()
    # Nothing dated after the moment the demo ran.
    now = timezone.now()
    assert not SurveyToken.objects.filter(used_at__gt=now).exists()
    assert not CitizenInput.objects.filter(created_at__gt=now).exists()
    assert not CitizenInput.objects.filter(answered_at__gt=now).exists()


@pytest.mark.parametrize(
    "day", sorted({TODAY, dt.date(2027, 1, 1), dt.date(2027, 1, 4), dt.date(2028, 2, 29)}), ids=str
)
def test_demo_responses_are_of_the_previous_and_the_current_quarter(cast, day):
    _units()
    with time_machine.travel(at(day), tick=False):
        demo.seed(rng=random.Random("2026-feedback"))
    current = quarter_start(day)
    previous = quarter_shift(current, -1)
    responses = SurveyResponse.objects.all()
    assert responses.filter(submitted_on__gte=current, submitted_on__lte=day).exists()
    assert responses.filter(submitted_on__gte=previous, submitted_on__lt=current).exists()
    assert responses.filter(submitted_on__gte=previous, submitted_on__lte=day).count() == responses.count()
    quarters = set(ServicePopulation.objects.values_list("year", "quarter"))
    assert quarters == {(previous.year, quarter_of(previous)), (day.year, quarter_of(day))}


def test_menu_entries(cast):
    hr_items = {i["name"] for i in nav_items_for(cast.users["hr"])}
    assert {"feedback:manage", "feedback:moderation"} <= hr_items
    staff_items = {i["name"] for i in nav_items_for(cast.users["staff"])}
    assert not {"feedback:manage", "feedback:moderation"} & staff_items
    from django.contrib.auth.models import AnonymousUser

    assert "feedback:public_index" in {i["name"] for i in nav_items_for(AnonymousUser())}
    assert reverse("feedback:public_index") == "/survei/"
