"""Training: catalog (programmes, sessions, materials), enrollment, attendance, JP and feedback."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from asnportal.org.models import Employee, PositionKind, Rank, Region

from . import rules
from .rules import JP_RIGHT_PER_YEAR  # noqa: F401 - the 20 JP right, imported from here by the api


class Competency(models.Model):
    class Kind(models.TextChoices):
        BEHAVIOUR = "behaviour", _("Behaviour (BerAKHLAK)")
        TECHNICAL = "technical", _("Technical")
        MANAGERIAL = "managerial", _("Managerial")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    class Kind(models.TextChoices):
        TECHNICAL = "technical", _("Technical")
        FUNCTIONAL = "functional", _("Functional")
        PKN_I = "pkn_1", _("Leadership PKN I")
        PKN_II = "pkn_2", _("Leadership PKN II")
        PKA = "pka", _("Leadership PKA")
        PKP = "pkp", _("Leadership PKP")
        MANAGERIAL = "managerial", _("Managerial")

    class Mode(models.TextChoices):
        CLASSROOM = "classroom", _("Classroom")
        ONLINE = "online", _("Online")
        BLENDED = "blended", _("Blended")

    # The leadership level each position type attends (DESIGN.md §4): rules.LEADERSHIP_LEVELS.

    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_programmes",
        verbose_name=_("region"),
        help_text=_("Empty for a national programme open to every region."),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    jp = models.PositiveSmallIntegerField(
        _("JP hours"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    description = models.TextField(_("description"), blank=True)
    competencies = models.ManyToManyField(
        Competency, blank=True, related_name="programmes", verbose_name=_("competencies built")
    )
    # The eligibility rule, stored as data and evaluated by rules.eligibility_reasons only.
    eligible_position_kinds = models.JSONField(
        _("eligible position types"), default=list, blank=True, help_text=_("Empty: every position type.")
    )
    min_rank = models.CharField(_("minimum rank"), max_length=6, choices=Rank.choices, blank=True)
    min_attendance_pct = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        kinds = self.eligible_position_kinds or []
        if not isinstance(kinds, list) or any(k not in PositionKind.values for k in kinds):
            raise ValidationError({"eligible_position_kinds": _("Choose position types from the list.")})


class Session(models.Model):
    """An angkatan/kelas of a programme, organised by one region."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("programme")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="training_sessions", verbose_name=_("region")
    )
    name = models.CharField(_("class name"), max_length=120)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    link = models.URLField(_("online link"), blank=True)
    trainer = models.CharField(_("trainer"), max_length=120, blank=True)
    capacity = models.PositiveIntegerField(_("seats"), validators=[MinValueValidator(1)])
    # Seats taken by admitted and completed participants; moved only by conditional UPDATEs.
    seats_taken = models.PositiveIntegerField(default=0, editable=False)
    enroll_opens = models.DateField(_("enrollment opens"))
    enroll_closes = models.DateField(_("enrollment closes"))
    allocation_seed = models.BigIntegerField(null=True, blank=True, editable=False)
    allocated_at = models.DateTimeField(null=True, blank=True, editable=False)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["region", "start_date"], name="training_session_region_start")]
        constraints = [
            models.CheckConstraint(condition=Q(seats_taken__lte=F("capacity")), name="session_capacity_kept"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="session_dates_ordered"),
            models.CheckConstraint(
                condition=Q(enroll_closes__gte=F("enroll_opens")), name="session_window_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.title} — {self.name}"

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The session cannot end before it starts.")
        if self.enroll_opens and self.enroll_closes and self.enroll_closes < self.enroll_opens:
            errors["enroll_closes"] = _("Enrollment cannot close before it opens.")
        if self.enroll_closes and self.start_date and self.enroll_closes >= self.start_date:
            errors["enroll_closes"] = _("Enrollment must close before the session starts.")
        if self.programme_id and self.region_id and self.programme.region_id not in (None, self.region_id):
            errors["programme"] = _("This programme belongs to another region.")
        if self.capacity is not None and self.capacity < self.seats_taken:
            errors["capacity"] = _("Seats cannot drop below the %(n)s participants already admitted.") % {
                "n": self.seats_taken
            }
        if errors:
            raise ValidationError(errors)

    def local_today(self) -> dt.date:
        return timezone.now().astimezone(self.region.tzinfo).date()

    def window_state(self, today: dt.date | None = None) -> str:
        return rules.window_state(
            today=today or self.local_today(), opens=self.enroll_opens, closes=self.enroll_closes
        )

    def days(self) -> list[dt.date]:
        n = (self.end_date - self.start_date).days + 1
        return [self.start_date + dt.timedelta(days=i) for i in range(n)]

    @property
    def seats_free(self) -> int:
        return max(self.capacity - self.seats_taken, 0)


class Material(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="materials", verbose_name=_("programme")
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="training/materials/", blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not self.url and not self.file:
            raise ValidationError(_("Give a link or a file."))


class Enrollment(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ADMITTED = "admitted", _("Admitted")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")
        NOT_COMPLETED = "not_completed", _("Not completed")

    SEAT_HOLDING = (Status.ADMITTED, Status.COMPLETED)

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("session")
    )
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="training_enrollments", verbose_name=_("employee")
    )
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    # The published priority, frozen at allocation for the employee to see (rules.allocation_priority).
    below_20 = models.BooleanField(null=True, editable=False)
    is_remote = models.BooleanField(null=True, editable=False)
    jp_this_year = models.PositiveIntegerField(null=True, editable=False)
    jp_three_years = models.PositiveIntegerField(null=True, editable=False)
    draw = models.FloatField(null=True, editable=False)
    rank = models.PositiveIntegerField(_("priority rank"), null=True, editable=False)
    decided_at = models.DateTimeField(null=True, editable=False)
    completed_on = models.DateField(_("completed on"), null=True, blank=True, editable=False)
    jp_granted = models.PositiveSmallIntegerField(_("JP granted"), default=0, editable=False)
    certificate_code = models.CharField(max_length=16, null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["session", "rank", "pk"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        indexes = [
            models.Index(fields=["session", "status"], name="training_enr_session_status"),
            models.Index(fields=["employee", "status", "completed_on"], name="training_enr_employee"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "employee"],
                condition=~Q(status="cancelled"),
                name="enrollment_once_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} @ {self.session_id} ({self.status})"

    @property
    def priority(self) -> tuple | None:
        if self.draw is None:
            return None
        return rules.allocation_priority(
            below_20=self.below_20,
            is_remote=self.is_remote,
            jp_three_years=self.jp_three_years,
            draw=self.draw,
        )


class Attendance(models.Model):
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("participant")
    )
    day = models.DateField(_("day"))
    present = models.BooleanField(_("present"), default=True)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "day"], name="attendance_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment_id} {self.day}: {'present' if self.present else 'absent'}"


class Notice(models.Model):
    """A notification sent to a participant; unique so that a retried task never sends twice."""

    class Kind(models.TextChoices):
        ADMITTED = "admitted", _("Seat granted")
        WAITLISTED = "waitlisted", _("Waitlisted")
        PROMOTED = "promoted", _("Promoted from the waitlist")
        REMINDER = "reminder", _("Reminder")

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrollment", "kind"], name="notice_once")]

    def __str__(self) -> str:
        return f"{self.kind} -> {self.enrollment_id}"


class Feedback(models.Model):
    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("participant")
    )
    session_rating = models.PositiveSmallIntegerField(
        _("session rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    trainer_rating = models.PositiveSmallIntegerField(
        _("trainer rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("training feedback")
        verbose_name_plural = _("training feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(session_rating__gte=1, session_rating__lte=5, trainer_rating__gte=1)
                & Q(trainer_rating__lte=5),
                name="feedback_ratings_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrollment_id}: {self.session_rating}/{self.trainer_rating}"
