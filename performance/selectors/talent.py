"""Talent: the 9-box per employee, the talent pool, low-rated competencies, the succession slate."""

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When

from asnportal.org.models import Employee

from .. import rules
from ..models import Appraisal, Rating, TalentPotential


def _box_case() -> Case:
    whens = [
        When(
            Q(perf_level=level)
            & Q(potential_value=potential.value if hasattr(potential, "value") else potential),
            then=Value(box),
        )
        for (level, potential), box in rules.NINE_BOX.items()
    ]
    return Case(*whens, default=None, output_field=IntegerField())


def talent_rows(*, region_id: int, year: int | None = None) -> QuerySet[Employee]:
    """Employees of a region with their latest current predikat, potential and 9-box, in SQL."""
    latest = Appraisal.objects.filter(employee=OuterRef("pk"), is_current=True)
    potentials = TalentPotential.objects.filter(employee=OuterRef("pk"))
    if year is not None:
        latest = latest.filter(period__year=year)
        potentials = potentials.filter(year=year)
    latest = latest.order_by("-period__end", "-version")
    potentials = potentials.order_by("-year")
    level = Case(
        *[When(predikat_value=p.value, then=Value(lvl)) for p, lvl in rules.PERFORMANCE_LEVEL.items()],
        default=None,
    )
    return (
        Employee.objects.filter(region_id=region_id, status=Employee.Status.ACTIVE)
        .select_related("unit", "position")
        .annotate(
            predikat_value=Subquery(latest.values("predikat")[:1]),
            potential_value=Subquery(potentials.values("potential")[:1]),
        )
        .annotate(perf_level=level)
        .annotate(box=_box_case())
        .order_by("-box", "name")
    )


def talent_pool(*, region_id: int, year: int | None = None) -> QuerySet[Employee]:
    """Employees in boxes 7–9 (the talent pool) of a region; each row has `.box`."""
    return talent_rows(region_id=region_id, year=year).filter(box__in=rules.TALENT_POOL_BOXES)


def box_counts(*, region_id: int, year: int | None = None) -> dict[int, int]:
    rows = (
        talent_rows(region_id=region_id, year=year)
        .filter(box__isnull=False)
        .values("box")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(range(1, 10), 0)
    counts.update({r["box"]: r["n"] for r in rows.order_by()})
    return counts


def low_rated_competencies(*, employee_ids: list[int]) -> dict[int, list[str]]:
    """Employee id -> BerAKHLAK codes rated di bawah ekspektasi in their latest appraisal."""
    if not employee_ids:
        return {}
    # The latest current appraisal per employee, as a correlated subquery (portable: the demo runs
    # on SQLite, which has no DISTINCT ON).
    newest = (
        Appraisal.objects.filter(employee_id=OuterRef("employee_id"), is_current=True)
        .order_by("-period__end", "-version")
        .values("pk")[:1]
    )
    latest = Appraisal.objects.filter(
        employee_id__in=employee_ids, is_current=True, pk=Subquery(newest)
    ).values_list("employee_id", "behaviour")
    return {
        emp_id: sorted(code for code, rating in behaviour.items() if rating == Rating.BELOW)
        for emp_id, behaviour in latest
    }


def succession_slate(*, region_id: int, limit: int = 10) -> list[dict]:
    """Vacant managerial positions of a region with the talent-pool candidates (boxes 7–9) who meet
    the position's rank minimum, best box first. Two queries whatever the number of positions."""
    from asnportal.org.models import MANAGERIAL_KINDS, Position

    vacant = list(
        Position.objects.filter(region_id=region_id, kind__in=list(MANAGERIAL_KINDS))
        .annotate(holders=Count("employees", filter=Q(employees__status=Employee.Status.ACTIVE)))
        .filter(holders=0)
        .order_by("kind", "name")
    )
    pool = list(talent_pool(region_id=region_id).filter(kind=Employee.Kind.PNS))
    slate = []
    for position in vacant:
        candidates = [
            e
            for e in pool
            if e.position_id != position.pk
            and rules.meets_rank_minimum(rank=e.rank, position_kind=position.kind)
        ]
        slate.append(
            {
                "position": position,
                "min_rank": rules.MIN_RANK_FOR_MANAGERIAL.get(position.kind, ""),
                "candidates": candidates[:limit],
                "more": max(0, len(candidates) - limit),
            }
        )
    return slate
