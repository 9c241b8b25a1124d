"""Effects of a proposed rule version (asnportal.regulations' previews, registered in apps.py): for
the SKD thresholds, who now advancing to SKB would fail SKD under the proposed pass marks; for the SKB
rubric, whose rank and place within the quota would change were the SKB scores recomputed with it.

Both only read. A selection keeps the versions it was opened with, so these are the effect of the
proposal on the current results, as the rules page shows before a version is recorded."""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from .. import rules
from ..models import Application, SkbScore, SkdScore


def rule_preview_skd(*, parameters: dict, region_ids: list[int]) -> list[str]:
    """Applicants of the regions' selections who passed SKD and whose latest SKD score misses one of
    the proposed pass marks (one query; the 3x quota cap aside)."""
    latest = SkdScore.objects.filter(application=OuterRef("pk")).order_by("-id")
    leaving = (
        Application.objects.filter(selection__region_id__in=region_ids, status=Application.Status.SKD_PASSED)
        .annotate(
            s_twk=Subquery(latest.values("twk")[:1]),
            s_tiu=Subquery(latest.values("tiu")[:1]),
            s_tkp=Subquery(latest.values("tkp")[:1]),
        )
        .filter(
            Q(s_twk__lt=parameters["twk_min"])
            | Q(s_tiu__lt=parameters["tiu_min"])
            | Q(s_tkp__lt=parameters["tkp_min"])
        )
        .count()
    )
    return [_("%(n)s applicants leave the SKB list") % {"n": leaving}]


# --- SKB rubric ------------------------------------------------------------------------------------
_SCORE_FIELDS = (
    "application_id", "items", "score", "application__formation_id", "application__formation__quota",
    "application__selection__w_skd", "application__selection__w_skb", "application__participant_number",
    "application__birth_date", "application__birth_order", "s_twk", "s_tiu", "s_tkp",
)  # fmt: skip


def _latest_skb_scores(region_ids: list[int]):
    """Each panel member's latest SKB score of every applicant advancing to SKB in the regions'
    selections, with what the ranking needs of the applicant (one query)."""
    latest_skd = SkdScore.objects.filter(application=OuterRef("application_id")).order_by("-id")
    latest_of_member = SkbScore.objects.filter(
        application=OuterRef("application_id"), panel_member=OuterRef("panel_member_id")
    ).order_by("-id")
    return (
        SkbScore.objects.filter(
            application__selection__region_id__in=region_ids,
            application__status=Application.Status.SKD_PASSED,
        )
        .filter(id=Subquery(latest_of_member.values("id")[:1]))
        .annotate(
            s_twk=Subquery(latest_skd.values("twk")[:1]),
            s_tiu=Subquery(latest_skd.values("tiu")[:1]),
            s_tkp=Subquery(latest_skd.values("tkp")[:1]),
        )
        .values_list(*_SCORE_FIELDS)
    )


def _proposed_score(items: dict, rubric: tuple, current: Decimal) -> tuple[Decimal, bool]:
    """(the score under the proposed rubric, whether it could be computed): a score lacking one of its
    items, or above an item's new maximum, keeps its current value."""
    try:
        return rules.rubric_score(items, rubric=rubric), True
    except (ValidationError, ArithmeticError, TypeError):
        return current, False


def _applicants(region_ids: list[int], rubric: tuple) -> tuple[dict[int, dict], int]:
    """Per applicant: formation, quota, tie-break key and the final score now and under the rubric;
    and how many applicants had a score that could not be recomputed."""
    people: dict[int, dict] = {}
    unscorable: set[int] = set()
    for row in _latest_skb_scores(region_ids):
        app_id, items, score, formation, quota, w_skd, w_skb, number, birth, order, twk, tiu, tkp = row
        if twk is None:
            continue
        person = people.setdefault(app_id, {
            "formation": formation, "quota": quota, "weights": rules.FinalWeights(skd=w_skd, skb=w_skb),
            "skd": rules.skd_total(twk=twk, tiu=tiu, tkp=tkp), "now": [], "new": [],
            "key": rules.tie_break_key(
                skd_total=twk + tiu + tkp, tkp=tkp, tiu=tiu, twk=twk, birth_date=birth, birth_order=order,
                participant_number=number,
            ),
        })  # fmt: skip
        proposed, ok = _proposed_score(items or {}, rubric, score)
        person["now"].append(score)
        person["new"].append(proposed)
        if not ok:
            unscorable.add(app_id)
    for person in people.values():
        for side in ("now", "new"):
            skb = sum(person[side], Decimal(0)) / len(person[side])
            person[side] = rules.final_score(skd_total=person["skd"], skb=skb, weights=person["weights"])
    return people, len(unscorable)


def _positions(people: dict[int, dict], side: str) -> dict[int, int]:
    """Each applicant's final rank in their formation by the final score of one side (ties: SKD rank)."""
    by_formation: dict[int, list[int]] = defaultdict(list)
    for app_id, person in people.items():
        by_formation[person["formation"]].append(app_id)
    ranks = {}
    for ids in by_formation.values():
        ids.sort(key=lambda i: (-people[i][side], people[i]["key"]))
        ranks |= {app_id: n for n, app_id in enumerate(ids, start=1)}
    return ranks


def rule_preview_skb(*, parameters: dict, region_ids: list[int]) -> list[str]:
    """The regions' SKB rankings recomputed with a proposed rubric: how many applicants change rank,
    how many would no longer be within their formation's quota (one query)."""
    people, unscorable = _applicants(region_ids, rules.rubric_from_parameters(parameters))
    now, new = _positions(people, "now"), _positions(people, "new")
    moved = sum(1 for app_id in people if now[app_id] != new[app_id])
    leaving = sum(1 for app_id, p in people.items() if now[app_id] <= p["quota"] < new[app_id])
    lines = [
        _("%(n)s applicants change rank") % {"n": moved},
        _("%(n)s applicants leave the list of those passing") % {"n": leaving},
    ]
    if unscorable:
        lines.append(
            _("%(n)s applicants keep their SKB score: it lacks an item of this rubric or exceeds a maximum")
            % {"n": unscorable}
        )
    lines.append(
        _(
            "Selections already open keep the rubric they were opened with: the figures above are their scores recomputed with this one."
        )
    )
    return lines
