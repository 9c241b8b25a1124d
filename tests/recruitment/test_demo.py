"""The recruitment demo: one selection per region, of this year, in progress on the day it runs."""

import random

import pytest

from asnportal.org.demo import seed_core
from asnportal.org.models import Region
from recruitment import demo
from recruitment.ledger import ledger_verify
from recruitment.models import (
    ApplicantProfile,
    Application,
    LedgerEntry,
    ObjectionAnswer,
    ScheduleItem,
    Selection,
    Stage,
)

from ..clock import NOW, TODAY

pytestmark = pytest.mark.django_db


def test_demo_seed_is_complete_and_idempotent():
    seed_core(random.Random(2026))
    demo.seed(rng=random.Random("2026-recruitment"))
    counts = (Selection.objects.count(), Application.objects.count(), LedgerEntry.objects.count())
    regions = Region.objects.count()  # one selection of about 20 applicants per demo region
    assert regions >= 4 and counts[0] == regions and 18 * regions <= counts[1] <= 22 * regions
    assert Application.objects.filter(user__username="pelamar").exists()
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {
        Application.Status.ADMIN_FAILED,
        Application.Status.SKD_FAILED,
        Application.Status.SKD_PASSED,
    } <= statuses
    assert ObjectionAnswer.objects.count() == regions
    assert all(report.ok for report in ledger_verify())
    demo.seed(rng=random.Random("2026-recruitment"))
    assert (Selection.objects.count(), Application.objects.count(), LedgerEntry.objects.count()) == counts


def test_demo_selection_is_in_progress_today():
    seed_core(random.Random(2026))
    demo.seed(rng=random.Random("2026-recruitment"))
    for selection in Selection.objects.all():
        assert selection.year == TODAY.year
        assert selection.registration_opens < TODAY < selection.registration_closes
        assert selection.objection_opens < NOW < selection.objection_closes
        done = ScheduleItem.objects.filter(selection=selection, ends_on__lt=TODAY)
        assert set(done.values_list("stage", flat=True)) >= {Stage.ADMINISTRATION, Stage.SKD}
        assert ScheduleItem.objects.filter(
            selection=selection, stage=Stage.FINAL, starts_on__gt=TODAY
        ).exists()
    # Applicants are 23 to 35 years old this year, whatever the year.
    years = {p.birth_date.year for p in ApplicantProfile.objects.exclude(birth_date=None)}
    assert years and min(years) >= TODAY.year - 35 and max(years) <= TODAY.year - 23
