"""Daily activity logs, the supervisor's review, feedback threads and reminders."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from asnportal.org.models import Employee, Region

from ..evidence import evidence_check
from ..models import (
    ActivityLog,
    Evidence,
    FeedbackMessage,
    Indicator,
    LogReminder,
    Period,
)
from .common import local_today, period_for_date

# --- daily activity logs ---------------------------------------------------------------------------


def _check_loggable_date(employee: Employee, date: dt.date) -> None:
    """No log ahead of the employee's local today, nor in a closed period."""
    if date > local_today(employee):
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


def _own_agreed_indicator(employee: Employee, indicator_id: int, date: dt.date) -> Indicator:
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
    return indicator


def _evidence_store(evidence_file) -> Evidence | None:
    """The uploaded proof, checked for its real type and size, or None without one."""
    if evidence_file is None:
        return None
    try:
        content, content_type = evidence_check(evidence_file)
    except ValidationError as exc:
        raise ValidationError({"evidence": exc.messages}) from exc
    return Evidence.objects.create(
        filename=evidence_file.name[:200], content_type=content_type, size=len(content), content=content
    )


def log_create(
    *,
    employee: Employee,
    indicator_id: int,
    date: dt.date,
    quantity: Decimal,
    duration_minutes: int,
    description: str,
    evidence_file=None,
    client_key: str = "",
) -> ActivityLog:
    """A daily log on the employee's local date, for one of their own agreed KPIs, in no closed period.

    With a `client_key` (the phone's idempotency key for a log it queued offline) a repeated key
    returns the employee's log already made with it, unchanged, instead of a second one; the unique
    index `log_client_key_once` settles two simultaneous sends of the same key."""
    client_key = client_key.strip()
    if len(client_key) > 64:
        raise ValidationError(_("The log could not be recognised; save it again."))
    if client_key:
        existing = log_for_client_key(employee=employee, client_key=client_key)
        if existing is not None:
            return existing
    try:
        return _log_create(
            employee=employee,
            indicator_id=indicator_id,
            date=date,
            quantity=quantity,
            duration_minutes=duration_minutes,
            description=description,
            evidence_file=evidence_file,
            client_key=client_key,
        )
    except IntegrityError:
        existing = log_for_client_key(employee=employee, client_key=client_key) if client_key else None
        if existing is None:
            raise
        return existing


def log_for_client_key(*, employee: Employee, client_key: str) -> ActivityLog | None:
    return ActivityLog.objects.filter(employee=employee, client_key=client_key).first()


@transaction.atomic
def _log_create(
    *,
    employee: Employee,
    indicator_id: int,
    date: dt.date,
    quantity: Decimal,
    duration_minutes: int,
    description: str,
    evidence_file,
    client_key: str,
) -> ActivityLog:
    _check_loggable_date(employee, date)
    indicator = _own_agreed_indicator(employee, indicator_id, date)
    log = ActivityLog(
        employee=employee,
        indicator=indicator,
        date=date,
        quantity=quantity,
        duration_minutes=duration_minutes,
        description=description.strip(),
        evidence=_evidence_store(evidence_file),
        client_key=client_key,
    )
    log.full_clean(exclude=["client_key"])  # the key's uniqueness is the index's to settle, no query
    log.save()
    return log


def _lock_waiting_team_logs(reviewer: Employee, ids: list[int]) -> None:
    """Locks the logs; refuses if any is not of the reviewer's direct team or no longer waiting."""
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


def _check_no_closed_period(ids: list[int]) -> None:
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
    _lock_waiting_team_logs(reviewer, ids)
    _check_no_closed_period(ids)
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


def _idle_employees(region: Region, today: dt.date):
    """Active staff with a user and an agreed plan this year, no log on the last two working days,
    and no reminder yet today."""
    days = previous_working_days(today, 2)
    return (
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


def _remind(employee: Employee, today: dt.date) -> bool:
    """Records today's reminder and queues its mail; False if the employee already had one today."""
    from asnportal.tasking import mail_queue

    address = employee.email or employee.user.email
    try:
        with transaction.atomic():  # the reminder and its mail (through the outbox) together
            LogReminder.objects.create(employee=employee, date=today)
            if address:
                mail_queue(
                    to=[address],
                    subject=_("Reminder: daily activity log"),
                    body=_(
                        "You have not logged any activity for two working days. "
                        "Please fill in your daily log."
                    ),
                )
    except IntegrityError:
        return False
    return True


def reminders_send() -> int:
    """Remind staff with an agreed plan who logged nothing on the last two working days (local time).

    Idempotent: one reminder per employee and local day (unique constraint).
    """
    sent = 0
    for region in Region.objects.all():
        today = timezone.now().astimezone(region.tzinfo).date()
        if today.weekday() >= 5:
            continue
        sent += sum(_remind(employee, today) for employee in _idle_employees(region, today))
    return sent
