"""Enrollment: a request in the window, a seat when one is free, the waitlist, a cancellation."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asnportal.org.models import Employee

from .. import selectors
from ..models import Enrollment, Notice, Session
from .catalog import eligibility_check
from .common import _notify_on_commit, _seats_release, _seats_take


def _window_check(session: Session) -> None:
    """A request is taken only while the session's window is open and before its allocation."""
    state = session.window_state()
    if state == "upcoming":
        raise ValidationError(
            _("Enrollment for this session opens on %(date)s.")
            % {"date": session.enroll_opens.strftime("%d-%m-%Y")}
        )
    if state == "closed" or session.allocated_at:
        raise ValidationError(
            _("Enrollment for this session closed on %(date)s.")
            % {"date": session.enroll_closes.strftime("%d-%m-%Y")}
        )


@transaction.atomic
def enrollment_request(*, session: Session, employee: Employee) -> Enrollment:
    """Request a seat during the window (issue 4 open enrollment): eligible, once, inside the window."""
    session = Session.objects.select_related("programme", "region").get(pk=session.pk)
    if not selectors.session_visible_to(session=session, employee=employee):
        raise ValidationError(_("This session is not open to employees of your region."))
    eligibility = eligibility_check(programme=session.programme, employee=employee)
    if not eligibility.ok:
        raise ValidationError(eligibility.reasons)
    _window_check(session)
    if (
        Enrollment.objects.filter(session=session, employee=employee)
        .exclude(status=Enrollment.Status.CANCELLED)
        .exists()
    ):
        raise ValidationError(_("You have already requested a seat in this session."))
    enrollment = Enrollment(session=session, employee=employee)
    enrollment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            enrollment.save()
    except IntegrityError as exc:  # the partial unique index caught a simultaneous double request
        raise ValidationError(_("You have already requested a seat in this session.")) from exc
    return enrollment


def enrollment_admit(*, enrollment_id: int, kind: str = Notice.Kind.ADMITTED) -> bool:
    """Give one pending request a seat if one is free (capacity never exceeded, §5 reliable).

    The seat is taken by a conditional UPDATE of the session row, so any number of simultaneous
    admissions can never push the seats taken past the capacity. Returns whether a seat was given.
    """
    with transaction.atomic():
        enrollment = Enrollment.objects.select_for_update().get(pk=enrollment_id)
        if enrollment.status in Enrollment.SEAT_HOLDING:
            return True
        if enrollment.status not in (Enrollment.Status.REQUESTED, Enrollment.Status.WAITLISTED):
            raise ValidationError(_("This request was cancelled or closed and cannot take a seat."))
        if not _seats_take(enrollment.session_id):
            return False
        enrollment.status = Enrollment.Status.ADMITTED
        enrollment.decided_at = timezone.now()
        enrollment.save(update_fields=["status", "decided_at"])
        _notify_on_commit([enrollment.pk], kind)
    return True


def waitlist_promote(*, session_id: int) -> Enrollment | None:
    """Give a freed seat to the best-ranked waitlisted request (issue 4: automatic promotion).

    Promotions of one session queue on its row lock, so the seat always goes to the best rank
    still waiting (skipping locked rows would let a worse rank overtake a better one).
    """
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session_id)
        if session.seats_taken >= session.capacity:
            return None
        waiting = Enrollment.objects.filter(session_id=session_id, status=Enrollment.Status.WAITLISTED)
        candidate = None
        for _attempt in range(3):  # a row cancelled while we waited for its lock drops out of LIMIT 1
            candidate = waiting.select_for_update().order_by("rank", "pk").first()
            if candidate is not None or not waiting.exists():
                break
        if candidate is None or not enrollment_admit(enrollment_id=candidate.pk, kind=Notice.Kind.PROMOTED):
            return None
        candidate.refresh_from_db()
        return candidate


def enrollment_cancel(*, enrollment: Enrollment) -> Enrollment:
    """Withdraw a request or give up a seat before the session starts; the seat goes to the waitlist."""
    with transaction.atomic():
        enrollment = (
            Enrollment.objects.select_for_update().select_related("session__region").get(pk=enrollment.pk)
        )
        session = enrollment.session
        if enrollment.status not in (
            Enrollment.Status.REQUESTED,
            Enrollment.Status.ADMITTED,
            Enrollment.Status.WAITLISTED,
        ):
            raise ValidationError(_("This enrollment can no longer be cancelled."))
        if session.local_today() >= session.start_date:
            raise ValidationError(_("The session has started: it can no longer be cancelled."))
        held = enrollment.status == Enrollment.Status.ADMITTED
        enrollment.status = Enrollment.Status.CANCELLED
        enrollment.decided_at = timezone.now()
        enrollment.save(update_fields=["status", "decided_at"])
        if held:
            _seats_release(session.pk)
            waitlist_promote(session_id=session.pk)
    return enrollment
