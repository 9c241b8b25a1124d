"""Demo data is deterministic and idempotent; the menu entries reach the right people."""

import random

import pytest
from django.urls import reverse

from asnportal.accounts.nav import nav_items_for
from asnportal.org.models import Region, Unit
from feedback import demo
from feedback.models import CitizenInput, ServiceUnit, SurveyResponse, SurveyToken
from tests.org.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_realistic(cast):
    # The org units the demo hangs its service units on (seeded by the core demo in real runs).
    for region in Region.objects.all():
        for code in ("DINKES", "DISDUKCAPIL", "DPMPTSP"):
            if not Unit.objects.filter(region=region, code=code).exists():
                UnitFactory(region=region, code=code, name=f"{code} {region.code}")
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


def test_menu_entries(cast):
    hr_items = {i["name"] for i in nav_items_for(cast.users["hr"])}
    assert {"feedback:manage", "feedback:moderation"} <= hr_items
    staff_items = {i["name"] for i in nav_items_for(cast.users["staff"])}
    assert not {"feedback:manage", "feedback:moderation"} & staff_items
    from django.contrib.auth.models import AnonymousUser

    assert "feedback:public_index" in {i["name"] for i in nav_items_for(AnonymousUser())}
    assert reverse("feedback:public_index") == "/survei/"
