"""Permission cases of workforce planning (URL namespace "planning")."""

from workforce.models import ServiceRatio

from ..permission_cases import Case, only
from .factories import ProposalFactory, ProposalRowFactory, WorkloadAnalysisFactory, WorkloadTaskFactory

HR = only("hr", "hr_other")  # each HR officer sees their own region's planning
READ = only("hr", "head", "hr_other")


def _analysis(c):
    c.objects["analysis"] = WorkloadAnalysisFactory(
        region=c.region_a, unit=c.unit_a, position=c.objects["position_a"]
    )
    c.objects["task"] = WorkloadTaskFactory(analysis=c.objects["analysis"])


def _ratio(c):
    c.objects["ratio"] = ServiceRatio.objects.create(
        region=c.region_a,
        name="Analis per penduduk",
        measure="population",
        unit=c.unit_a,
        position=c.objects["position_a"],
        staff=1,
        per=1000,
    )


def _proposal(c):
    c.objects["proposal"] = ProposalFactory(region=c.region_a)
    c.objects["row"] = ProposalRowFactory(
        proposal=c.objects["proposal"], unit=c.unit_a, position=c.objects["position_a"]
    )


CASES = {
    "planning:index": Case(READ),
    "planning:settings": Case(HR),
    "planning:retirement_age": Case(
        only("hr", "hr_other", status=302),
        method="post",
        data=lambda c: {"kind": "pelaksana", "level": "", "age": 58},
    ),
    "planning:workload": Case(HR),
    "planning:workload_detail": Case(
        only("hr", hr_other=404), setup=_analysis, kwargs=lambda c: {"pk": c.objects["analysis"].pk}
    ),
    # hr deletes the task first; the second POST by the same role would be 404, so only hr gets 302 here.
    "planning:workload_task_delete": Case(
        only("hr", status=302, hr_other=404),
        method="post",
        setup=_analysis,
        kwargs=lambda c: {"pk": c.objects["analysis"].pk, "task_pk": c.objects["task"].pk},
    ),
    "planning:ratios": Case(HR),
    "planning:figure_set": Case(
        only("hr", "hr_other", status=302),
        method="post",
        data=lambda c: {"year": 2027, "measure": "population", "value": 1000},
    ),
    "planning:ratio_delete": Case(
        only("hr", status=302, hr_other=404),
        method="post",
        setup=_ratio,
        kwargs=lambda c: {"pk": c.objects["ratio"].pk},
    ),
    "planning:gaps": Case(READ),
    "planning:gaps_xlsx": Case(READ),
    "planning:proposals": Case(READ),
    "planning:proposal_detail": Case(
        only("hr", "head", hr_other=404), setup=_proposal, kwargs=lambda c: {"pk": c.objects["proposal"].pk}
    ),
    "planning:proposal_row_delete": Case(
        only("hr", status=302, hr_other=404),
        method="post",
        setup=_proposal,
        kwargs=lambda c: {"pk": c.objects["proposal"].pk, "row_pk": c.objects["row"].pk},
    ),
    "planning:proposal_submit": Case(
        only("hr", status=302, hr_other=404),
        method="post",
        setup=_proposal,
        kwargs=lambda c: {"pk": c.objects["proposal"].pk},
    ),
    "planning:proposal_approve": Case(
        only("hr", status=302, hr_other=404),
        method="post",
        setup=_proposal,
        kwargs=lambda c: {"pk": c.objects["proposal"].pk},
    ),
    "planning:proposal_return": Case(
        only("hr", status=302, hr_other=404),
        method="post",
        setup=_proposal,
        kwargs=lambda c: {"pk": c.objects["proposal"].pk},
    ),
    "planning:chart": Case(READ),
    "planning:reassign": Case(HR),
    "planning:position_move": Case(HR),
    "planning:position_convert": Case(HR),
    "planning:unit_merge": Case(HR),
    "planning:unit_split": Case(HR),
}
