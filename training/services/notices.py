"""Notices to participants: seat, waitlist, promotion and the day-before reminder, each sent once."""

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from asnportal.tasking import mail_queue

from ..models import Enrollment, Notice
from .common import _local_today_by_region, _notify_on_commit

NOTICE_TEXT = {
    Notice.Kind.ADMITTED: (
        gettext_noop("Seat granted: %(session)s"),
        gettext_noop("You have a seat in %(session)s, %(start)s to %(end)s."),
    ),
    Notice.Kind.WAITLISTED: (
        gettext_noop("Waitlisted: %(session)s"),
        gettext_noop(
            "The session %(session)s is full. You are number %(rank)s in the priority order and on the "
            "waitlist; you will be told if a seat frees."
        ),
    ),
    Notice.Kind.PROMOTED: (
        gettext_noop("A seat freed for you: %(session)s"),
        gettext_noop(
            "A seat freed and you have moved from the waitlist into %(session)s, %(start)s to %(end)s."
        ),
    ),
    Notice.Kind.REMINDER: (
        gettext_noop("Tomorrow: %(session)s"),
        gettext_noop("Reminder: %(session)s starts tomorrow, %(start)s, at %(place)s."),
    ),
}


@transaction.atomic
def reminders_enqueue() -> int:
    """Beat: queue the reminder of admitted participants the day before their session; how many."""
    due = reminders_due()
    _notify_on_commit(due, Notice.Kind.REMINDER)
    return len(due)


def reminders_due() -> list[int]:
    """Admitted enrollments of sessions starting tomorrow (local date) not yet reminded."""
    condition = Q(pk__in=[])
    for region_id, today in _local_today_by_region().items():
        condition |= Q(session__region_id=region_id, session__start_date=today + dt.timedelta(days=1))
    return list(
        Enrollment.objects.filter(condition, status=Enrollment.Status.ADMITTED)
        .exclude(notices__kind=Notice.Kind.REMINDER)
        .values_list("pk", flat=True)
    )


def notice_send(*, enrollment_id: int, kind: str) -> bool:
    """Send one notification once (the Notice row makes a retried task a no-op)."""
    with transaction.atomic():
        enrollment = Enrollment.objects.select_related("employee__user", "session__programme").get(
            pk=enrollment_id
        )
        notice, created = Notice.objects.get_or_create(enrollment=enrollment, kind=kind)
        if not created:
            return False
        session = enrollment.session
        subject, body = NOTICE_TEXT[Notice.Kind(kind)]
        params = {
            "session": str(session),
            "start": session.start_date.strftime("%d-%m-%Y"),
            "end": session.end_date.strftime("%d-%m-%Y"),
            "rank": enrollment.rank or "-",
            "place": session.place or session.link or "-",
        }
        employee = enrollment.employee
        to = employee.email or (employee.user.email if employee.user_id else "")
        if to:  # leaves with this transaction, through the outbox, once
            mail_queue(to=[to], subject=_(subject) % params, body=_(body) % params, about=notice)
    return True
