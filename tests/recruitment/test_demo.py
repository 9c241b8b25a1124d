import random

import pytest

from asnportal.org.demo import seed_core
from recruitment import demo
from recruitment.ledger import ledger_verify
from recruitment.models import Application, LedgerEntry, ObjectionAnswer, Selection

pytestmark = pytest.mark.django_db


def test_demo_seed_is_complete_and_idempotent():
    seed_core(random.Random(2026))
    demo.seed(rng=random.Random("2026-recruitment"))
    counts = (Selection.objects.count(), Application.objects.count(), LedgerEntry.objects.count())
    assert counts[0] == 3 and 55 <= counts[1] <= 65
    assert Application.objects.filter(user__username="pelamar").exists()
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {
        Application.Status.ADMIN_FAILED,
        Application.Status.SKD_FAILED,
        Application.Status.SKD_PASSED,
    } <= statuses
    assert ObjectionAnswer.objects.count() == 3
    assert all(report.ok for report in ledger_verify())
    demo.seed(rng=random.Random("2026-recruitment"))
    assert (Selection.objects.count(), Application.objects.count(), LedgerEntry.objects.count()) == counts
