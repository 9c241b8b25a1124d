"""Appraisal per period (work results, BerAKHLAK behaviour, predikat) and talent potential."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from asnportal.org.models import Employee
from asnportal.regulations import selectors as regulations
from asnportal.regulations.models import RuleKind
from asnportal.ui import formatting

from .. import ikm, rules
from ..models import (
    ActivityLog,
    Appraisal,
    BerAKHLAK,
    Indicator,
    Period,
    Plan,
    TalentPotential,
)
from .plans import _check_supervisor

# --- appraisal -------------------------------------------------------------------------------------


def _ikm_measure(ind: Indicator, *, employee: Employee, period: Period) -> tuple[Decimal, Decimal, str]:
    """An IKM indicator is measured by the unit's survey index over the year so far, against the
    period's own share of the target (not cumulative)."""
    data = ikm.ikm_for_unit(unit_id=employee.unit_id, start=period.year_start, end=period.end)
    realisation = data["ikm"] if data else Decimal("0")
    target = rules.period_target(ind.target, period.quarter, cumulative=False)
    note = (
        _("IKM %(ikm)s (%(category)s, %(n)s respondents)")
        % {"ikm": data["ikm"], "category": data["category"], "n": data["respondents"]}
        if data
        else _("No IKM result for the unit yet")
    )
    return realisation, target, note


def _logs_measure(ind: Indicator, *, employee: Employee, period: Period) -> tuple[Decimal, Decimal, str]:
    """A log indicator is measured by its approved quantities against the cumulative target."""
    realisation = ind.approved or Decimal("0")
    target = rules.period_target(ind.target, period.quarter)
    note = _("approved logs %(period)s") % {"period": formatting.period(period.year_start, period.end)}
    return realisation, target, note


# How each source of an indicator is measured; any other source counts approved logs.
_MEASURES = {Indicator.Source.IKM: _ikm_measure, Indicator.Source.LOGS: _logs_measure}


def _agreed_indicators(plan: Plan, period: Period):
    return (
        Indicator.objects.filter(result__plan=plan, removed=False, agreed_at__isnull=False)
        .select_related("result")
        .annotate(approved=Sum("logs__quantity", filter=_approved_between(period.year_start, period.end)))
        .order_by("pk")
    )


def _indicator_row(ind: Indicator, *, employee: Employee, period: Period) -> dict:
    """One line of the computation: the indicator, how it was measured, and its achievement."""
    measure = _MEASURES.get(ind.source, _logs_measure)
    realisation, target, note = measure(ind, employee=employee, period=period)
    return {
        "indicator_id": ind.pk,
        "result": ind.result.text,
        "indicator": ind.text,
        "unit": ind.unit,
        "weight": str(ind.weight),
        "target_year": str(ind.target),
        "target": str(target),
        "realisation": str(realisation),
        "achievement": str(rules.ratio(realisation, target)),
        "source": ind.source,
        "note": str(note),
    }


def appraisal_compute(*, employee: Employee, period: Period) -> dict:
    """KPI achievement = approved realisation ÷ target (cumulative to the period's end), weighted into the
    work-result rating with the period's thresholds (§4 SKP). Returns every number and how it was made."""
    plan = Plan.objects.filter(employee=employee, year=period.year, agreed_at__isnull=False).first()
    rows: list[dict] = []
    if plan is not None:
        rows = [
            _indicator_row(ind, employee=employee, period=period) for ind in _agreed_indicators(plan, period)
        ]
    # The rows keep their numbers as exact decimal strings, so they read back unchanged.
    achievement = rules.weighted_achievement(
        [(Decimal(row["weight"]), Decimal(row["achievement"])) for row in rows]
    )
    # The rule version of the work-rating thresholds in force at the period's end in its region: the
    # result names it, and a version added later (dated from its own day on) leaves it unchanged.
    rule = regulations.version_in_force(kind=RuleKind.WORK_RATING, region_id=period.region_id, on=period.end)
    return {
        "rule": rule.reference(),
        "rows": rows,
        "achievement": str(achievement),
        "above_from": str(period.above_from),
        "meets_from": str(period.meets_from),
        "quarter": period.quarter,
        "work_rating": rules.work_rating_for(
            achievement, above_from=period.above_from, meets_from=period.meets_from
        ),
        "plan_version": plan.version if plan else None,
    }


def _approved_between(start: dt.date, end: dt.date) -> Q:
    return Q(logs__status=ActivityLog.Status.APPROVED, logs__date__gte=start, logs__date__lte=end)


def _validate_behaviour(behaviour: dict[str, str]) -> None:
    codes = {c for c, _l in BerAKHLAK.choices}
    if set(behaviour) != codes:
        raise ValidationError(_("Rate each of the 7 BerAKHLAK values."))


def _rated(*, employee: Employee, period: Period, behaviour: dict[str, str]) -> dict:
    """The fields an appraisal takes from the computation and the behaviour ratings (§4 matrix)."""
    computed = appraisal_compute(employee=employee, period=period)
    behaviour_rating = rules.behaviour_rating_for(behaviour)
    return {
        "achievement": Decimal(computed["achievement"]),
        "work_rating": computed["work_rating"],
        "behaviour": behaviour,
        "behaviour_rating": behaviour_rating,
        "predikat": rules.predikat_for(computed["work_rating"], behaviour_rating),
        "computation": computed,
    }


def _open_period_for(employee: Employee, period: Period) -> Period:
    """The period, locked, if the employee's region can still be rated in it."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.region_id != employee.region_id:
        raise ValidationError(_("The period belongs to another region."))
    if period.is_closed:
        raise ValidationError(
            _("The period is closed; the appraisal is locked. Record a correction with a reason.")
        )
    return period


@transaction.atomic
def appraisal_rate(
    *, supervisor: Employee, employee: Employee, period: Period, behaviour: dict[str, str]
) -> Appraisal:
    """The supervisor rates behaviour; work rating and predikat follow from §4 (matrix).

    While the period is open the current version is updated; once closed it is locked.
    """
    _check_supervisor(employee, supervisor)
    period = _open_period_for(employee, period)
    _validate_behaviour(behaviour)
    values = {
        "unit_id": employee.unit_id,
        **_rated(employee=employee, period=period, behaviour=behaviour),
        "rated_by": supervisor,
    }
    current = (
        Appraisal.objects.select_for_update()
        .filter(employee=employee, period=period, is_current=True)
        .first()
    )
    if current is None:
        appraisal = Appraisal(employee=employee, period=period, version=1, **values)
    else:
        appraisal = current
        for key, value in values.items():
            setattr(appraisal, key, value)
    appraisal.full_clean()
    appraisal.save()
    return appraisal


@transaction.atomic
def appraisal_correct(
    *, supervisor: Employee, appraisal: Appraisal, behaviour: dict[str, str], reason: str
) -> Appraisal:
    """A correction of a locked appraisal is a new version with its reason; the old one is kept."""
    current = Appraisal.objects.select_for_update().select_related("employee", "period").get(pk=appraisal.pk)
    _check_supervisor(current.employee, supervisor)
    if not current.is_current:
        raise ValidationError(_("Correct the latest version of the appraisal."))
    if not current.period.is_closed:
        raise ValidationError(_("The period is still open: change the appraisal directly."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the correction."))
    _validate_behaviour(behaviour)
    rated = _rated(employee=current.employee, period=current.period, behaviour=behaviour)
    Appraisal.objects.filter(pk=current.pk).update(is_current=False)
    corrected = Appraisal(
        employee=current.employee,
        period=current.period,
        unit_id=current.unit_id,
        version=current.version + 1,
        **rated,
        reason=reason.strip(),
        rated_by=supervisor,
    )
    corrected.full_clean()
    corrected.save()
    return corrected


# --- talent ----------------------------------------------------------------------------------------


def potential_record(
    *, user, employee: Employee, year: int, potential: str, note: str = ""
) -> TalentPotential:
    """HR records the potential (rendah/menengah/tinggi) that places the employee on the 9-box."""
    record = TalentPotential.objects.filter(employee=employee, year=year).first() or TalentPotential(
        employee=employee, year=year
    )
    record.potential = potential
    record.note = note.strip()
    record.recorded_by = user
    record.full_clean()
    record.save()
    return record
