"""Writes of the training app: keyword-only, typed, transactional (DESIGN.md §4 training, §5 reliable)."""

import datetime as dt
import math
import random
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from asnportal.org.models import Employee, PositionKind, Region, rank_step
from asnportal.tasking import enqueue, mail_queue

from . import selectors
from .models import (
    JP_RIGHT_PER_YEAR,
    Attendance,
    Competency,
    Enrollment,
    Feedback,
    Notice,
    Programme,
    Session,
)

# ----- eligibility ---------------------------------------------------------------------------


@dataclass
class Eligibility:
    ok: bool
    reasons: list[str] = field(default_factory=list)


def eligibility_check(*, programme: Programme, employee: Employee) -> Eligibility:
    """THE eligibility rule of a programme (issue 4: open enrollment, no barrier beyond the stated rule).

    The rule is data on the programme: the position types it is for (empty = all) and a minimum rank
    (empty = none). An active employee who meets both may request a seat. Returns the reasons on failure.
    """
    reasons: list[str] = []
    if employee.status != Employee.Status.ACTIVE:
        reasons.append(_("Only active employees can enroll."))
    if programme.region_id is not None and programme.region_id != employee.region_id:
        reasons.append(_("This programme is for employees of another region."))
    kinds = programme.eligible_position_kinds or []
    if kinds and employee.position.kind not in kinds:
        labels = ", ".join(str(PositionKind(k).label) for k in kinds)
        reasons.append(
            _("This programme is for position type %(kinds)s; your position is %(mine)s.")
            % {"kinds": labels, "mine": employee.position.get_kind_display()}
        )
    if programme.min_rank:
        mine, needed = rank_step(employee.rank), rank_step(programme.min_rank)
        if mine is None or mine < needed:
            reasons.append(
                _("This programme requires rank %(rank)s or higher; yours is %(mine)s.")
                % {"rank": programme.min_rank, "mine": employee.rank}
            )
    return Eligibility(ok=not reasons, reasons=reasons)


def eligibility_describe(*, programme: Programme) -> str:
    """The stated rule in words, as the catalog shows it."""
    parts = []
    kinds = programme.eligible_position_kinds or []
    if kinds:
        parts.append(_("position type: %s") % ", ".join(str(PositionKind(k).label) for k in kinds))
    if programme.min_rank:
        parts.append(_("rank %s or higher") % programme.min_rank)
    return "; ".join(parts) if parts else _("open to every active employee")


# ----- catalog set-up ------------------------------------------------------------------------


@transaction.atomic
def programme_save(*, programme: Programme, competencies: list[Competency] | None = None) -> Programme:
    """Save a programme; a leadership programme (PKN I/II, PKA, PKP) defaults to its position type."""
    leadership = Programme.LEADERSHIP_KINDS.get(programme.kind)
    if leadership and not programme.eligible_position_kinds:
        programme.eligible_position_kinds = [str(leadership)]
    programme.full_clean()
    programme.save()
    if competencies is not None:
        programme.competencies.set(competencies)
    return programme


@transaction.atomic
def session_save(*, session: Session) -> Session:
    """Save a session; the capacity never drops below the seats already taken (checked in clean)."""
    if session.pk:
        # Read the counter under lock so a concurrent admission cannot slip under a capacity cut.
        session.seats_taken = Session.objects.select_for_update().get(pk=session.pk).seats_taken
    session.full_clean()
    session.save()
    return session


# ----- enrollment ----------------------------------------------------------------------------


NOTIFY_TASK = "training.notify_enrollment"
ALLOCATE_TASK = "training.allocate_session"


def _notify_on_commit(enrollment_ids: list[int], kind: str) -> None:
    """Queue one notice per enrollment with the caller's transaction (the outbox)."""
    for pk in enrollment_ids:
        enqueue(NOTIFY_TASK, enrollment_id=pk, kind=str(kind))


@transaction.atomic
def enrollment_request(*, session: Session, employee: Employee) -> Enrollment:
    """Request a seat during the window (issue 4 open enrollment): eligible, once, inside the window."""
    session = Session.objects.select_related("programme", "region").get(pk=session.pk)
    if not selectors.session_visible_to(session=session, employee=employee):
        raise ValidationError(_("This session is not open to employees of your region."))
    eligibility = eligibility_check(programme=session.programme, employee=employee)
    if not eligibility.ok:
        raise ValidationError(eligibility.reasons)
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


def _seats_take(session_id: int, n: int = 1) -> bool:
    """Take n seats with one conditional UPDATE: it matches only while the seats are free."""
    if n <= 0:
        return True
    return bool(
        Session.objects.filter(pk=session_id, seats_taken__lte=F("capacity") - n).update(
            seats_taken=F("seats_taken") + n
        )
    )


def _seats_release(session_id: int, n: int = 1) -> None:
    Session.objects.filter(pk=session_id, seats_taken__gte=n).update(seats_taken=F("seats_taken") - n)


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


# ----- fair allocation -----------------------------------------------------------------------


def allocation_priority(*, below_20: bool, is_remote: bool, jp_three_years: int, draw: float) -> tuple:
    """The published priority (issue 4), smaller first: below 20 JP this year, then remote-area
    staff, then fewest JP in the last three calendar years (this one and the two before), then a
    random draw from the seed recorded on the session."""
    return (not below_20, not is_remote, jp_three_years, draw)


@transaction.atomic
def session_allocate(*, session_id: int, seed: int | None = None, notify: bool = True) -> Session:
    """Allocate the seats of a session whose window has closed (issue 4 fair allocation).

    Idempotent: a session is allocated once; the seed and every request's priority and rank are
    stored so each employee can see why they got a seat or a waitlist place.
    """
    session = Session.objects.select_for_update().select_related("region").get(pk=session_id)
    if session.allocated_at:
        return session
    if session.window_state() != "closed":
        raise ValidationError(_("Seats are allocated only after the enrollment window closes."))
    requests = list(
        Enrollment.objects.select_for_update()
        .filter(session=session, status=Enrollment.Status.REQUESTED)
        .select_related("employee")
        .order_by("pk")
    )
    year = session.enroll_closes.year
    totals = selectors.jp_totals(employee_ids=[e.employee_id for e in requests], year=year)
    seed = seed if seed is not None else secrets.randbits(62)
    rng = random.Random(seed)  # noqa: S311 - a published, reproducible draw, not a secret
    for enrollment in requests:  # draws in request order so the seed reproduces them
        this_year, three_years = totals.get(enrollment.employee_id, (0, 0))
        enrollment.jp_this_year = this_year
        enrollment.jp_three_years = three_years
        enrollment.below_20 = this_year < JP_RIGHT_PER_YEAR
        enrollment.is_remote = enrollment.employee.is_remote
        enrollment.draw = rng.random()
    requests.sort(
        key=lambda e: allocation_priority(
            below_20=e.below_20, is_remote=e.is_remote, jp_three_years=e.jp_three_years, draw=e.draw
        )
    )
    free = session.capacity - session.seats_taken
    admitted = min(free, len(requests))
    if not _seats_take(session.pk, admitted):
        raise ValidationError(_("The seats changed during allocation; try again."))
    now = timezone.now()
    for position, enrollment in enumerate(requests, start=1):
        enrollment.rank = position
        enrollment.status = (
            Enrollment.Status.ADMITTED if position <= admitted else Enrollment.Status.WAITLISTED
        )
        enrollment.decided_at = now
    Enrollment.objects.bulk_update(
        requests,
        ["jp_this_year", "jp_three_years", "below_20", "is_remote", "draw", "rank", "status", "decided_at"],
        batch_size=500,
    )
    Session.objects.filter(pk=session.pk).update(allocation_seed=seed, allocated_at=now)
    session.allocation_seed, session.allocated_at = seed, now
    if notify:  # (the demo loader replays past allocations silently)
        _notify_on_commit([e.pk for e in requests[:admitted]], Notice.Kind.ADMITTED)
        _notify_on_commit([e.pk for e in requests[admitted:]], Notice.Kind.WAITLISTED)
    return session


def _local_today_by_region() -> dict[int, dt.date]:
    now = timezone.now()
    return {r.pk: now.astimezone(r.tzinfo).date() for r in Region.objects.all()}


def sessions_due_for_allocation() -> list[int]:
    """Sessions whose window closed (in their region's local date) and that are not yet allocated."""
    condition = Q(pk__in=[])
    for region_id, today in _local_today_by_region().items():
        condition |= Q(region_id=region_id, enroll_closes__lt=today)
    return list(Session.objects.filter(condition, allocated_at__isnull=True).values_list("pk", flat=True))


@transaction.atomic
def allocations_due_enqueue() -> int:
    """Beat: queue the allocation of every session whose enrollment window has closed; how many."""
    due = sessions_due_for_allocation()
    for session_id in due:
        enqueue(ALLOCATE_TASK, session_id=session_id)
    return len(due)


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


# ----- attendance, completion, feedback ------------------------------------------------------


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


def completion_days_needed(*, days: int, min_attendance_pct: int) -> int:
    """Days a participant must attend to complete: the programme's share of the days, rounded up."""
    return max(1, math.ceil(days * min_attendance_pct / 100))


def certificate_code_new() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from paper
    return "".join(secrets.choice(alphabet) for _i in range(12))


@transaction.atomic
def session_complete(*, session_id: int) -> int:
    """Close a session after its last day: who attended enough completes and is granted the JP."""
    session = Session.objects.select_for_update().select_related("programme", "region").get(pk=session_id)
    if session.completed_at:
        raise ValidationError(_("This session is already closed."))
    if session.local_today() < session.end_date:
        raise ValidationError(_("The session can be closed only from its last day on."))
    needed = completion_days_needed(
        days=len(session.days()), min_attendance_pct=session.programme.min_attendance_pct
    )
    participants = list(
        Enrollment.objects.filter(session=session, status=Enrollment.Status.ADMITTED).annotate(
            days_present=Count("attendance", filter=Q(attendance__present=True))
        )
    )
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
