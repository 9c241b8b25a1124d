"""The issue's demo path: from the demo data, HR computes needs, sees gaps and retirements, produces a
proposal, a selection is opened from it, and a unit is restructured with the chart before and after.

The demo is built around the suite's day (tests/clock.py): it plans next year from this one."""

import datetime as dt
import random

import pytest
from django.test import Client
from django.urls import reverse

from asnportal.accounts.models import User
from asnportal.org.demo import seed_core
from asnportal.org.models import Employee, Region, Unit
from workforce import demo, selectors, services
from workforce.models import FormationProposal, RegionFigure, StructureChange, WorkloadAnalysis, WorkloadTask

from ..clock import TODAY, quarter_start

pytestmark = pytest.mark.django_db
CURRENT_YEAR, PLAN_YEAR = TODAY.year, TODAY.year + 1


@pytest.fixture
def demo_data(db):
    from asnportal.org.regions import regions_ensure

    regions_ensure(Region)
    seed_core(random.Random(2026))
    demo.seed(rng=random.Random("2026-planning"))


def _counts():
    return (
        WorkloadAnalysis.objects.count(),
        WorkloadTask.objects.count(),
        RegionFigure.objects.count(),
        FormationProposal.objects.count(),
        StructureChange.objects.count(),
    )


def test_demo_seed_is_idempotent(demo_data):
    before = _counts()
    regions = Region.objects.count()  # per demo region: 4 workload analyses, a proposal, a past reassignment
    assert regions >= 4 and before[0] == 4 * regions and before[3] == regions and before[4] == regions
    demo.seed(rng=random.Random("2026-planning"))
    assert _counts() == before
    years = set(WorkloadAnalysis.objects.values_list("year", flat=True))
    assert years == {PLAN_YEAR}
    assert set(FormationProposal.objects.values_list("year", flat=True)) == {CURRENT_YEAR}
    assert set(RegionFigure.objects.values_list("year", flat=True)) == {CURRENT_YEAR, PLAN_YEAR}
    # The past reassignment: 1 July of last year, before today on any day (29 February included).
    assert set(StructureChange.objects.values_list("effective_date", flat=True)) == {
        dt.date(CURRENT_YEAR - 1, 7, 1)
    }


def test_demo_path_for_hr(demo_data):
    hr = Client()
    hr.force_login(User.objects.get(username="bkpsdm.bengkulu"))
    dinkes = Unit.objects.get(region__code="bengkulu", code="DINKES")
    # Needs of a unit (ABK), then gaps and retirements.
    page = hr.get(reverse("planning:workload") + f"?year={PLAN_YEAR}")
    row = next(a for a in page.context["analyses"] if a.unit_id == dinkes.pk)
    assert row.needed == 5  # 5,850 h / 1,250 = 4.68
    page = hr.get(reverse("planning:gaps") + f"?year={PLAN_YEAR}")
    assert any(r["unit_id"] == dinkes.pk and (r["gap_future"] or 0) > 0 for r in page.context["rows"])
    # Proposal from the gaps, submitted, approved.
    response = hr.post(reverse("planning:proposals"), {"year": PLAN_YEAR})
    proposal = FormationProposal.objects.get(region__code="bengkulu", year=PLAN_YEAR)
    assert response.status_code == 302 and proposal.rows.exists()
    for action in ("submit", "approve"):
        hr.post(reverse(f"planning:proposal_{action}", kwargs={"pk": proposal.pk}))
    # What recruitment does in one step: read the formations and record the selection.
    formations = selectors.proposal_formations(proposal_id=proposal.pk)
    assert sum(f["quota"] for f in formations) == sum(r.quota for r in proposal.rows.all())
    services.proposal_mark_opened(proposal_id=proposal.pk, selection_ref=f"CASN-{PLAN_YEAR}-BENGKULU")
    # Restructure: merge two units from the start of this quarter; the chart shows both states.
    a = Unit.objects.get(region__code="bengkulu", code="BAPPEDA")
    b = Unit.objects.get(region__code="bengkulu", code="DPMPTSP")
    effective = quarter_start(TODAY)
    response = hr.post(
        reverse("planning:unit_merge"),
        {
            "units": [a.pk, b.pk],
            "new_code": "BPPTSP",
            "new_name": "Badan Perencanaan dan Perizinan",
            "effective_date": effective.isoformat(),
            "note": f"Perda 7/{CURRENT_YEAR}",
        },
    )
    assert response.status_code == 302
    day_before = effective - dt.timedelta(days=1)
    before = hr.get(reverse("planning:chart") + f"?on={day_before.isoformat()}").context["units"]
    after = hr.get(reverse("planning:chart") + f"?on={effective.isoformat()}").context["units"]
    names_before, names_after = {u["name"] for u in before}, {u["name"] for u in after}
    assert a.name in names_before and a.name not in names_after
    assert "Badan Perencanaan dan Perizinan" in names_after
    merged = next(u for u in after if u["name"] == "Badan Perencanaan dan Perizinan")
    assert merged["headcount"] == Employee.objects.filter(unit__code="BPPTSP", status="active").count() > 0


PAGES = [
    "planning:index",
    "planning:workload",
    "planning:ratios",
    "planning:gaps",
    "planning:proposals",
    "planning:chart",
    "planning:settings",
    "planning:reassign",
    "planning:position_move",
    "planning:position_convert",
    "planning:unit_merge",
    "planning:unit_split",
]


def test_every_page_renders_with_demo_data(demo_data):
    hr = Client()
    hr.force_login(User.objects.get(username="bkpsdm.sorong"))
    assert {name: hr.get(reverse(name)).status_code for name in PAGES} == dict.fromkeys(PAGES, 200)
    proposal = FormationProposal.objects.get(region__code="sorong", year=CURRENT_YEAR)
    page = hr.get(reverse("planning:proposal_detail", kwargs={"pk": proposal.pk}))
    assert page.context["total"] == 4 and page.context["proposal"].status == "approved"


def test_split_page_with_a_unit_chosen(demo_data):
    hr = Client()
    hr.force_login(User.objects.get(username="bkpsdm.bungo"))
    unit = Unit.objects.get(region__code="bungo", code="PUPR")
    page = hr.get(reverse("planning:unit_split") + f"?unit={unit.pk}")
    assert page.status_code == 200 and "part1_employees" in page.content.decode()
    staff = list(Employee.objects.filter(unit=unit).values_list("pk", flat=True)[:2])
    response = hr.post(
        reverse("planning:unit_split") + f"?unit={unit.pk}",
        {
            "part1_code": "PU",
            "part1_name": "Dinas Pekerjaan Umum",
            "part1_employees": staff,
            "effective_date": TODAY.replace(day=1).isoformat(),  # the first of this month
        },
    )
    assert response.status_code == 302
    assert Employee.objects.filter(unit__code="PU", unit__region__code="bungo").count() == 2
