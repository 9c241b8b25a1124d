"""SKP plans: cascading work results, KPIs with weights, agreement and its history."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asnportal.org.models import Employee

from ..models import (
    Indicator,
    Plan,
    PlanVersion,
    WorkResult,
)
from ..selectors import plan_weight_total, supervisor_plan
from .common import _fmt

# --- plans -----------------------------------------------------------------------------------------


def plan_get_or_create(*, employee: Employee, year: int) -> Plan:
    plan, _created = Plan.objects.get_or_create(employee=employee, year=year)
    return plan


def _editable(plan: Plan) -> None:
    if plan.status != Plan.Status.DRAFT:
        raise ValidationError(_("The plan can only be changed as a draft. Ask for a change first."))


@transaction.atomic
def result_add(*, plan: Plan, text: str, parent_id: int | None) -> WorkResult:
    """A work result, cascaded from one of the supervisor's results whenever the supervisor has a plan."""
    plan = Plan.objects.select_for_update().select_related("employee").get(pk=plan.pk)
    _editable(plan)
    boss_plan = supervisor_plan(employee=plan.employee, year=plan.year)
    if parent_id:
        if boss_plan is None or not WorkResult.objects.filter(pk=parent_id, plan=boss_plan).exists():
            raise ValidationError(_("Choose one of your supervisor's work results of the same year."))
    elif boss_plan is not None and boss_plan.results.exists():
        raise ValidationError(_("Choose the supervisor's work result this result supports (cascading)."))
    result = WorkResult(plan=plan, text=text.strip(), parent_id=parent_id or None)
    result.full_clean()
    result.save()
    return result


@transaction.atomic
def indicator_add(
    *, result: WorkResult, text: str, target: Decimal, unit: str, weight: Decimal, source: str
) -> Indicator:
    """A KPI of a work result; the weights of a plan may never total more than 100."""
    plan = Plan.objects.select_for_update().get(pk=result.plan_id)
    _editable(plan)
    total = plan_weight_total(plan) + Decimal(weight)
    if total > 100:
        raise ValidationError(
            _("The weights would total %(total)s%%; the KPIs of a plan must total exactly 100%%.")
            % {"total": _fmt(total)}
        )
    indicator = Indicator(
        result=result, text=text.strip(), target=target, unit=unit.strip(), weight=weight, source=source
    )
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def indicator_remove(*, indicator: Indicator) -> None:
    """A draft KPI without logs is deleted; an agreed one is kept (logs point at it) but removed."""
    plan = Plan.objects.select_for_update().get(pk=indicator.result.plan_id)
    _editable(plan)
    if indicator.agreed_at or indicator.logs.exists():
        Indicator.objects.filter(pk=indicator.pk).update(removed=True)
    else:
        indicator.delete()


@transaction.atomic
def plan_submit(*, plan: Plan) -> Plan:
    """Draft -> submitted; the KPI weights must total exactly 100 (§4 SKP)."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _editable(plan)
    if not Indicator.objects.filter(result__plan=plan, removed=False).exists():
        raise ValidationError(_("Add at least one work result with a KPI before submitting."))
    total = plan_weight_total(plan)
    if total != 100:
        raise ValidationError(
            _("The KPI weights total %(total)s%%; they must total exactly 100%%.") % {"total": _fmt(total)}
        )
    plan.status = Plan.Status.SUBMITTED
    plan.return_note = ""
    plan.save(update_fields=["status", "return_note"])
    return plan


def _snapshot(plan: Plan) -> list[dict]:
    rows = []
    for result in plan.results.prefetch_related("indicators"):
        rows.append(
            {
                "result": result.text,
                "kpis": [
                    {
                        "indicator": i.text,
                        "target": str(i.target),
                        "unit": i.unit,
                        "weight": str(i.weight),
                        "source": i.source,
                    }
                    for i in result.indicators.all()
                    if not i.removed
                ],
            }
        )
    return rows


def _check_supervisor(plan_employee: Employee, supervisor: Employee) -> None:
    if plan_employee.supervisor_id != supervisor.pk:
        raise PermissionDenied(_("Only the direct supervisor may do this."))


@transaction.atomic
def plan_agree(*, plan: Plan, supervisor: Employee) -> Plan:
    """Submitted -> agreed by the direct supervisor; the agreed version is kept as history."""
    plan = Plan.objects.select_for_update().select_related("employee").get(pk=plan.pk)
    _check_supervisor(plan.employee, supervisor)
    if plan.status != Plan.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be agreed."))
    now = timezone.now()
    plan.status = Plan.Status.AGREED
    plan.agreed_at = now
    plan.agreed_by = supervisor
    plan.save(update_fields=["status", "agreed_at", "agreed_by"])
    Indicator.objects.filter(result__plan=plan, agreed_at__isnull=True, removed=False).update(agreed_at=now)
    PlanVersion.objects.create(
        plan=plan,
        version=plan.version,
        snapshot=_snapshot(plan),
        agreed_at=now,
        agreed_by_name=supervisor.name,
        change_reason=plan.change_reason,
    )
    return plan


@transaction.atomic
def plan_return(*, plan: Plan, supervisor: Employee, note: str) -> Plan:
    plan = Plan.objects.select_for_update().select_related("employee").get(pk=plan.pk)
    _check_supervisor(plan.employee, supervisor)
    if plan.status != Plan.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be sent back."))
    if not note.strip():
        raise ValidationError(_("Write what should be changed."))
    plan.status = Plan.Status.DRAFT
    plan.return_note = note.strip()
    plan.save(update_fields=["status", "return_note"])
    return plan


@transaction.atomic
def plan_revise(*, plan: Plan, reason: str) -> Plan:
    """A change after agreement starts a new version that needs a new agreement (history kept)."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.AGREED:
        raise ValidationError(_("Only an agreed plan needs a change request."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the change."))
    plan.status = Plan.Status.DRAFT
    plan.version += 1
    plan.change_reason = reason.strip()
    plan.save(update_fields=["status", "version", "change_reason"])
    return plan
