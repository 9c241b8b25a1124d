"""Attendance, completion (JP and certificates) and the participants' feedback."""

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules
from ..models import Attendance, Enrollment, Feedback, Session


@transaction.atomic
def attendance_record(*, session: Session, day: dt.date, present_ids: set[int], user) -> int:
    """Record one day's attendance (issue 4): only admitted participants, only on session days."""
    if day < session.start_date or day > session.end_date:
        raise ValidationError(_("%(day)s is not a day of this session.") % {"day": day.strftime("%d-%m-%Y")})
    if session.completed_at:
        raise ValidationError(_("This session is closed; attendance can no longer change."))
    participants = set(
        Enrollment.objects.filter(session=session, status=Enrollment.Status.ADMITTED).values_list(
            "pk", flat=True
        )
    )
    strangers = set(present_ids) - participants
    if strangers:
        raise ValidationError(
            _("Attendance can only be recorded for admitted participants of this session (not: %(ids)s).")
            % {"ids": ", ".join(str(i) for i in sorted(strangers))}
        )
    rows = [
        Attendance(enrollment_id=pk, day=day, present=pk in present_ids, recorded_by=user)
        for pk in participants
    ]
    Attendance.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["enrollment", "day"],
        update_fields=["present", "recorded_by", "recorded_at"],
    )
    return len(present_ids)


def certificate_code_new() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from paper
    return "".join(secrets.choice(alphabet) for _i in range(12))


def _outcomes_set(participants: list[Enrollment], *, session: Session, needed: int) -> int:
    """Who attended enough completes (JP and a certificate code); the others did not complete."""
    completed = 0
    for enrollment in participants:
        if enrollment.days_present >= needed:
            enrollment.status = Enrollment.Status.COMPLETED
            enrollment.completed_on = session.end_date
            enrollment.jp_granted = session.programme.jp
            enrollment.certificate_code = certificate_code_new()
            completed += 1
        else:
            enrollment.status = Enrollment.Status.NOT_COMPLETED
    return completed


@transaction.atomic
def session_complete(*, session_id: int) -> int:
    """Close a session after its last day: who attended enough completes and is granted the JP."""
    session = Session.objects.select_for_update().select_related("programme", "region").get(pk=session_id)
    if session.completed_at:
        raise ValidationError(_("This session is already closed."))
    if session.local_today() < session.end_date:
        raise ValidationError(_("The session can be closed only from its last day on."))
    needed = rules.completion_days_needed(
        days=len(session.days()), min_attendance_pct=session.programme.min_attendance_pct
    )
    participants = list(
        Enrollment.objects.filter(session=session, status=Enrollment.Status.ADMITTED).annotate(
            days_present=Count("attendance", filter=Q(attendance__present=True))
        )
    )
    completed = _outcomes_set(participants, session=session, needed=needed)
    Enrollment.objects.bulk_update(
        participants, ["status", "completed_on", "jp_granted", "certificate_code"], batch_size=500
    )
    Session.objects.filter(pk=session.pk).update(completed_at=timezone.now())
    return completed


@transaction.atomic
def feedback_submit(
    *, enrollment: Enrollment, session_rating: int, trainer_rating: int, comment: str = ""
) -> Feedback:
    """Participants who attended (at least one day present) rate the session and trainer, once."""
    if not enrollment.attendance.filter(present=True).exists():
        raise ValidationError(_("Only participants who attended can give feedback."))
    if Feedback.objects.filter(enrollment=enrollment).exists():
        raise ValidationError(_("You have already given feedback on this session."))
    feedback = Feedback(
        enrollment=enrollment, session_rating=session_rating, trainer_rating=trainer_rating, comment=comment
    )
    feedback.full_clean()
    feedback.save()
    return feedback
