"""Every write of the performance app (SKP, logs, review, appraisal, talent); DESIGN.md §4."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from asnportal.org.models import Employee, Region

from . import ikm, rules
from .evidence import evidence_check
from .models import (
    ActivityLog,
    Appraisal,
    BerAKHLAK,
    Evidence,
    FeedbackMessage,
    Indicator,
    LogReminder,
    Period,
    Plan,
    PlanVersion,
    TalentPotential,
    WorkResult,
)

QUARTER_BOUNDS = {
    "tw1": ((1, 1), (3, 31)),
    "tw2": ((4, 1), (6, 30)),
    "tw3": ((7, 1), (9, 30)),
    "tw4": ((10, 1), (12, 31)),
}


def _fmt(value: Decimal) -> str:
    return format(Decimal(value).normalize(), "f")


def local_today(employee: Employee) -> dt.date:
    """Today in the employee's region (a log's date is the employee's local date, DESIGN.md §4 Time)."""
    return timezone.now().astimezone(employee.region.tzinfo).date()


# --- periods ---------------------------------------------------------------------------------------


@transaction.atomic
def period_open(
    *,
    user,
    region: Region,
    year: int,
    kind: str,
    above_from: Decimal,
    meets_from: Decimal,
    org_rating: str,
) -> Period:
    """HR opens a Triwulan of a region with its thresholds, which staff see from then on (§4 SKP)."""
    (sm, sd), (em, ed) = QUARTER_BOUNDS[kind]
    period = Period(
        region=region,
        year=year,
        kind=kind,
        start=dt.date(year, sm, sd),
        end=dt.date(year, em, ed),
        above_from=above_from,
        meets_from=meets_from,
        org_rating=org_rating,
        opened_by=user,
    )
    if Period.objects.filter(region=region, year=year, kind=kind).exists():
        raise ValidationError(_("This period has already been opened for the region."))
    period.full_clean()
    period.save()
    return period


def period_close(*, period: Period) -> Period:
    """HR closes a period: its logs and appraisals are locked from now on (§4 SKP)."""
    changed = Period.objects.filter(pk=period.pk, status=Period.Status.OPEN).update(
        status=Period.Status.CLOSED, closed_at=timezone.now()
    )
    if not changed:
        raise ValidationError(_("This period is already closed."))
    period.refresh_from_db()
    return period


def period_for_date(*, region_id: int, date: dt.date) -> Period | None:
    return Period.objects.filter(region_id=region_id, start__lte=date, end__gte=date).first()


# --- plans -----------------------------------------------------------------------------------------


def plan_get_or_create(*, employee: Employee, year: int) -> Plan:
    plan, _created = Plan.objects.get_or_create(employee=employee, year=year)
    return plan


def _supervisor_plan(employee: Employee, year: int) -> Plan | None:
    if not employee.supervisor_id:
        return None
    return Plan.objects.filter(employee_id=employee.supervisor_id, year=year).first()


def _editable(plan: Plan) -> None:
    if plan.status != Plan.Status.DRAFT:
        raise ValidationError(_("The plan can only be changed as a draft. Ask for a change first."))


@transaction.atomic
def result_add(*, plan: Plan, text: str, parent_id: int | None) -> WorkResult:
    """A work result, cascaded from one of the supervisor's results whenever the supervisor has a plan."""
    plan = Plan.objects.select_for_update().select_related("employee").get(pk=plan.pk)
    _editable(plan)
    boss_plan = _supervisor_plan(plan.employee, plan.year)
    if parent_id:
        if boss_plan is None or not WorkResult.objects.filter(pk=parent_id, plan=boss_plan).exists():
            raise ValidationError(_("Choose one of your supervisor's work results of the same year."))
    elif boss_plan is not None and boss_plan.results.exists():
        raise ValidationError(_("Choose the supervisor's work result this result supports (cascading)."))
    result = WorkResult(plan=plan, text=text.strip(), parent_id=parent_id or None)
    result.full_clean()
    result.save()
    return result


def plan_weight_total(plan: Plan, exclude_pk: int | None = None) -> Decimal:
    """Sum of the weights of the plan's KPIs still in force."""
    qs = Indicator.objects.filter(result__plan=plan, removed=False)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.aggregate(total=Sum("weight"))["total"] or Decimal("0")


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


# --- daily activity logs ---------------------------------------------------------------------------


@transaction.atomic
def log_create(
    *,
    employee: Employee,
    indicator_id: int,
    date: dt.date,
    quantity: Decimal,
    duration_minutes: int,
    description: str,
    evidence_file=None,
) -> ActivityLog:
    """A daily log on the employee's local date, for one of their own agreed KPIs, in no closed period."""
    today = local_today(employee)
    if date > today:
        raise ValidationError(
            {
                "date": _("The date %(date)s is in the future; log what you have already done.")
                % {"date": date.isoformat()}
            }
        )
    period = period_for_date(region_id=employee.region_id, date=date)
    if period is not None and period.is_closed:
        raise ValidationError(
            {"date": _("%(period)s is closed; logs can no longer be added to it.") % {"period": period}}
        )
    indicator = (
        Indicator.objects.filter(
            pk=indicator_id,
            result__plan__employee=employee,
            result__plan__year=date.year,
            agreed_at__isnull=False,
            removed=False,
        )
        .only("pk")
        .first()
    )
    if indicator is None:
        raise ValidationError(
            {"indicator": _("Choose one of your own agreed KPIs for the year of the date.")}
        )
    evidence = None
    if evidence_file is not None:
        try:
            content, content_type = evidence_check(evidence_file)
        except ValidationError as exc:
            raise ValidationError({"evidence": exc.messages}) from exc
        evidence = Evidence.objects.create(
            filename=evidence_file.name[:200], content_type=content_type, size=len(content), content=content
        )
    log = ActivityLog(
        employee=employee,
        indicator=indicator,
        date=date,
        quantity=quantity,
        duration_minutes=duration_minutes,
        description=description.strip(),
        evidence=evidence,
    )
    log.full_clean()
    log.save()
    return log


@transaction.atomic
def log_review(*, reviewer: Employee, log_ids: list[int], approve: bool, comment: str = "") -> int:
    """The direct supervisor approves or returns waiting logs (one or many); a comment opens a thread.

    All-or-nothing: a log of someone else's team, or one already reviewed, changes nothing at all.
    """
    ids = sorted(set(log_ids))
    if not ids:
        raise ValidationError(_("Select at least one log."))
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError(_("Write a comment saying what to fix when returning a log."))
    logs = list(
        ActivityLog.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("employee", "indicator__result__plan")
        .order_by("pk")
    )
    if len(logs) != len(ids) or any(log.employee.supervisor_id != reviewer.pk for log in logs):
        raise PermissionDenied(_("Only the direct supervisor may review these logs."))
    if any(log.status != ActivityLog.Status.SUBMITTED for log in logs):
        raise ValidationError(_("Some of these logs have already been reviewed."))
    # One query for the whole selection: is any log dated in a closed period of its region?
    closed = Period.objects.filter(
        status=Period.Status.CLOSED,
        region_id=OuterRef("employee__region_id"),
        start__lte=OuterRef("date"),
        end__gte=OuterRef("date"),
    ).values("pk")[:1]
    period_id = (
        ActivityLog.objects.filter(pk__in=ids)
        .annotate(closed_period=Subquery(closed))
        .filter(closed_period__isnull=False)
        .values_list("closed_period", flat=True)
        .first()
    )
    if period_id is not None:
        period = Period.objects.get(pk=period_id)
        raise ValidationError(
            _("%(period)s is closed; its logs can no longer be reviewed.") % {"period": period}
        )
    changed = ActivityLog.objects.filter(pk__in=ids, status=ActivityLog.Status.SUBMITTED).update(
        status=ActivityLog.Status.APPROVED if approve else ActivityLog.Status.RETURNED,
        reviewed_by=reviewer,
        reviewed_at=timezone.now(),
    )
    if changed != len(ids):  # a concurrent review got there first
        raise ValidationError(_("Some of these logs have already been reviewed."))
    if comment:
        FeedbackMessage.objects.bulk_create(
            [FeedbackMessage(log_id=i, author=reviewer, body=comment) for i in ids]
        )
    return changed


def feedback_reply(*, log: ActivityLog, author: Employee, body: str) -> FeedbackMessage:
    """Umpan balik berkelanjutan: the employee and their supervisor write in the log's thread."""
    if author.pk not in (log.employee_id, log.employee.supervisor_id):
        raise PermissionDenied
    message = FeedbackMessage(log=log, author=author, body=body.strip())
    if not message.body:
        raise ValidationError(_("Write a message."))
    message.full_clean()
    message.save()
    return message


@transaction.atomic
def log_resubmit(*, log: ActivityLog, employee: Employee, quantity: Decimal, description: str) -> ActivityLog:
    """The employee corrects a returned log, which goes back to the supervisor's queue."""
    if log.employee_id != employee.pk:
        raise PermissionDenied
    changed = ActivityLog.objects.filter(pk=log.pk, status=ActivityLog.Status.RETURNED).update(
        status=ActivityLog.Status.SUBMITTED,
        quantity=quantity,
        description=description.strip(),
        reviewed_at=None,
    )
    if not changed:
        raise ValidationError(_("Only a returned log can be corrected."))
    log.refresh_from_db()
    return log


# --- reminders -------------------------------------------------------------------------------------


def previous_working_days(day: dt.date, n: int) -> list[dt.date]:
    days, cursor = [], day
    while len(days) < n:
        cursor -= dt.timedelta(days=1)
        if cursor.weekday() < 5:
            days.append(cursor)
    return days


def reminders_send() -> int:
    """Remind staff with an agreed plan who logged nothing on the last two working days (local time).

    Idempotent: one reminder per employee and local day (unique constraint).
    """
    from django.core.mail import send_mail

    sent = 0
    for region in Region.objects.all():
        today = timezone.now().astimezone(region.tzinfo).date()
        if today.weekday() >= 5:
            continue
        days = previous_working_days(today, 2)
        idle = (
            Employee.objects.filter(
                region=region,
                status=Employee.Status.ACTIVE,
                user__isnull=False,
                performance_plans__year=today.year,
                performance_plans__agreed_at__isnull=False,
            )
            .exclude(activity_logs__date__gte=days[-1], activity_logs__date__lte=days[0])
            .exclude(log_reminders__date=today)
            .select_related("user")
            .distinct()
        )
        for employee in idle:
            try:
                with transaction.atomic():
                    LogReminder.objects.create(employee=employee, date=today)
            except IntegrityError:
                continue
            sent += 1
            address = employee.email or employee.user.email
            if address:
                send_mail(
                    _("Reminder: daily activity log"),
                    _(
                        "You have not logged any activity for two working days. Please fill in your daily log."
                    ),
                    None,
                    [address],
                    fail_silently=True,
                )
    return sent


# --- appraisal -------------------------------------------------------------------------------------


def appraisal_compute(*, employee: Employee, period: Period) -> dict:
    """KPI achievement = approved realisation ÷ target (cumulative to the period's end), weighted into the
    work-result rating with the period's thresholds (§4 SKP). Returns every number and how it was made."""
    plan = Plan.objects.filter(employee=employee, year=period.year, agreed_at__isnull=False).first()
    rows: list[dict] = []
    pairs: list[tuple[Decimal, Decimal]] = []
    if plan is not None:
        indicators = (
            Indicator.objects.filter(result__plan=plan, removed=False, agreed_at__isnull=False)
            .select_related("result")
            .annotate(
                approved=Sum(
                    "logs__quantity",
                    filter=models_q_approved(period.year_start, period.end),
                )
            )
            .order_by("pk")
        )
        for ind in indicators:
            if ind.source == Indicator.Source.IKM:
                data = ikm.ikm_for_unit(unit_id=employee.unit_id, start=period.year_start, end=period.end)
                realisation = data["ikm"] if data else Decimal("0")
                target = rules.period_target(ind.target, period.quarter, cumulative=False)
                note = (
                    _("IKM %(ikm)s (%(category)s, %(n)s respondents)")
                    % {"ikm": data["ikm"], "category": data["category"], "n": data["respondents"]}
                    if data
                    else _("No IKM result for the unit yet")
                )
            else:
                realisation = ind.approved or Decimal("0")
                target = rules.period_target(ind.target, period.quarter)
                note = _("approved logs %(start)s – %(end)s") % {
                    "start": period.year_start,
                    "end": period.end,
                }
            achievement = rules.ratio(realisation, target)
            pairs.append((ind.weight, achievement))
            rows.append(
                {
                    "indicator_id": ind.pk,
                    "result": ind.result.text,
                    "indicator": ind.text,
                    "unit": ind.unit,
                    "weight": str(ind.weight),
                    "target_year": str(ind.target),
                    "target": str(target),
                    "realisation": str(realisation),
                    "achievement": str(achievement),
                    "source": ind.source,
                    "note": str(note),
                }
            )
    achievement = rules.weighted_achievement(pairs)
    return {
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


def models_q_approved(start: dt.date, end: dt.date) -> Q:
    return Q(logs__status=ActivityLog.Status.APPROVED, logs__date__gte=start, logs__date__lte=end)


def _validate_behaviour(behaviour: dict[str, str]) -> None:
    codes = {c for c, _l in BerAKHLAK.choices}
    if set(behaviour) != codes:
        raise ValidationError(_("Rate each of the 7 BerAKHLAK values."))


@transaction.atomic
def appraisal_rate(
    *, supervisor: Employee, employee: Employee, period: Period, behaviour: dict[str, str]
) -> Appraisal:
    """The supervisor rates behaviour; work rating and predikat follow from §4 (matrix).

    While the period is open the current version is updated; once closed it is locked.
    """
    _check_supervisor(employee, supervisor)
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.region_id != employee.region_id:
        raise ValidationError(_("The period belongs to another region."))
    if period.is_closed:
        raise ValidationError(
            _("The period is closed; the appraisal is locked. Record a correction with a reason.")
        )
    _validate_behaviour(behaviour)
    computed = appraisal_compute(employee=employee, period=period)
    behaviour_rating = rules.behaviour_rating_for(behaviour)
    values = {
        "unit_id": employee.unit_id,
        "achievement": Decimal(computed["achievement"]),
        "work_rating": computed["work_rating"],
        "behaviour": behaviour,
        "behaviour_rating": behaviour_rating,
        "predikat": rules.predikat_for(computed["work_rating"], behaviour_rating),
        "computation": computed,
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
    computed = appraisal_compute(employee=current.employee, period=current.period)
    behaviour_rating = rules.behaviour_rating_for(behaviour)
    Appraisal.objects.filter(pk=current.pk).update(is_current=False)
    corrected = Appraisal(
        employee=current.employee,
        period=current.period,
        unit_id=current.unit_id,
        version=current.version + 1,
        achievement=Decimal(computed["achievement"]),
        work_rating=computed["work_rating"],
        behaviour=behaviour,
        behaviour_rating=behaviour_rating,
        predikat=rules.predikat_for(computed["work_rating"], behaviour_rating),
        computation=computed,
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
