"""Service units, the SKM survey (answers keyed by element code), one-time tokens and citizen input."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from asnportal.org.models import Region, Unit

from .rules import ELEMENTS, SCORE_MAX, SCORE_MIN


class ServiceUnit(models.Model):
    """A unit layanan (puskesmas, counter of a dinas, school ...) of an OPD, with a public survey link."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="service_units", verbose_name=_("region")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="service_units", verbose_name=_("parent unit (OPD)")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("survey link code"), max_length=60, unique=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["region", "name"]
        verbose_name = _("service unit")
        verbose_name_plural = _("service units")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="service_unit_name_unique_in_region"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.unit_id and self.region_id and self.unit.region_id != self.region_id:
            raise ValidationError({"unit": _("The parent unit must be in the same region.")})


class Service(models.Model):
    """One service (jenis layanan) offered by a service unit."""

    service_unit = models.ForeignKey(
        ServiceUnit, on_delete=models.CASCADE, related_name="services", verbose_name=_("service unit")
    )
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.UniqueConstraint(fields=["service_unit", "name"], name="service_name_unique_in_unit"),
        ]

    def __str__(self) -> str:
        return self.name


class ServicePopulation(models.Model):
    """The number of service users of a unit in one quarter, entered by HR (N of Krejcie-Morgan)."""

    service_unit = models.ForeignKey(
        ServiceUnit, on_delete=models.CASCADE, related_name="populations", verbose_name=_("service unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=[(q, f"Q{q}") for q in range(1, 5)])
    users = models.PositiveIntegerField(_("number of service users"))

    class Meta:
        ordering = ["service_unit", "-year", "-quarter"]
        verbose_name = _("number of service users")
        verbose_name_plural = _("numbers of service users")
        constraints = [
            models.UniqueConstraint(
                fields=["service_unit", "year", "quarter"], name="population_unique_per_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="population_quarter_1_4"
            ),
        ]

    def __str__(self) -> str:
        return f"TW {self.quarter} {self.year}: {self.users}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * (self.quarter - 1) + 1, 1)


class ExtraQuestion(models.Model):
    """A unit's own question, asked after the nine SKM elements and never counted in the IKM."""

    class Kind(models.TextChoices):
        SCALE = "scale", _("Scale 1-4")
        TEXT = "text", _("Free text")

    service_unit = models.ForeignKey(
        ServiceUnit, on_delete=models.CASCADE, related_name="extra_questions", verbose_name=_("service unit")
    )
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("answer type"), max_length=8, choices=Kind.choices, default=Kind.SCALE)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("extra question")
        verbose_name_plural = _("extra questions")

    def __str__(self) -> str:
        return self.text


class TokenBatch(models.Model):
    """A batch of one-time survey codes printed by a unit on service tickets."""

    service_unit = models.ForeignKey(
        ServiceUnit, on_delete=models.CASCADE, related_name="token_batches", verbose_name=_("service unit")
    )
    size = models.PositiveIntegerField(_("number of codes"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("token batch")
        verbose_name_plural = _("token batches")

    def __str__(self) -> str:
        return f"{self.service_unit_id}: {self.size}"


class SurveyToken(models.Model):
    """A one-time code. Responses never point at it: the link between code and answers is not kept."""

    batch = models.ForeignKey(TokenBatch, on_delete=models.CASCADE, related_name="tokens")
    service_unit = models.ForeignKey(ServiceUnit, on_delete=models.CASCADE, related_name="tokens")
    code = models.CharField(_("code"), max_length=16, unique=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    # The random key a kiosk tablet gave the queued response that spent this code: the same response
    # sent again (the tablet never heard the answer) is recognised, not counted as a reused code.
    client_key = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("survey token")
        verbose_name_plural = _("survey tokens")

    def __str__(self) -> str:
        return self.code


class Sex(models.TextChoices):
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class AgeBand(models.TextChoices):
    UNDER_20 = "<20", _("Under 20")
    A20_29 = "20-29", _("20-29")
    A30_39 = "30-39", _("30-39")
    A40_49 = "40-49", _("40-49")
    A50_59 = "50-59", _("50-59")
    A60 = "60+", _("60 or older")


class Education(models.TextChoices):
    SD = "sd", _("Primary school or lower")
    SMP = "smp", _("Junior high school")
    SMA = "sma", _("Senior high school")
    D3 = "d3", _("Diploma (D1-D3)")
    S1 = "s1", _("Bachelor (D4/S1)")
    S2 = "s2", _("Master or doctorate (S2/S3)")


class Occupation(models.TextChoices):
    PNS = "pns", _("Civil servant/TNI/Polri")
    PRIVATE = "swasta", _("Private employee")
    ENTREPRENEUR = "wirausaha", _("Entrepreneur")
    FARMER = "petani", _("Farmer/fisher")
    STUDENT = "pelajar", _("Student")
    HOMEMAKER = "irt", _("Homemaker")
    OTHER = "lainnya", _("Other")


class SurveyResponse(models.Model):
    """One anonymous SKM response. Only the date is kept (no time, no IP, no token) so it cannot be
    matched back to a visitor or to the moment a printed code was used."""

    service_unit = models.ForeignKey(
        ServiceUnit, on_delete=models.PROTECT, related_name="responses", verbose_name=_("service unit")
    )
    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
        verbose_name=_("service used"),
    )
    submitted_on = models.DateField(_("date"), db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    age_band = models.CharField(_("age"), max_length=6, choices=AgeBand.choices, blank=True)
    education = models.CharField(_("education"), max_length=4, choices=Education.choices, blank=True)
    occupation = models.CharField(_("occupation"), max_length=10, choices=Occupation.choices, blank=True)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        verbose_name = _("SKM response")
        verbose_name_plural = _("SKM responses")
        indexes = [models.Index(fields=["service_unit", "submitted_on"], name="response_unit_date")]

    def __str__(self) -> str:
        return f"{self.service_unit_id} {self.submitted_on}"


class SurveyAnswer(models.Model):
    """The answer to one SKM element, keyed by the element's code."""

    # Indexed by `answer_one_per_element` (response first), not by a second single-column index.
    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    element = models.CharField(_("element"), max_length=16, choices=ELEMENTS)
    value = models.PositiveSmallIntegerField(_("value"))

    class Meta:
        verbose_name = _("SKM answer")
        verbose_name_plural = _("SKM answers")
        constraints = [
            # One answer per element; its index (response first) also serves the foreign key.
            models.UniqueConstraint(fields=["response", "element"], name="answer_one_per_element"),
            models.CheckConstraint(
                condition=Q(value__gte=SCORE_MIN, value__lte=SCORE_MAX), name="answer_value_1_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.element}={self.value}"


class ExtraAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="extra_answers")
    question = models.ForeignKey(ExtraQuestion, on_delete=models.CASCADE, related_name="answers")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(max_length=1000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="extra_answer_once"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=SCORE_MIN, value__lte=SCORE_MAX),
                name="extra_answer_value_1_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}={self.value or self.text}"


class CitizenInput(models.Model):
    """A complaint, suggestion or rating of a unit's staff service (pengaduan, saran, penilaian)."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        SUGGESTION = "suggestion", _("Suggestion")
        RATING = "rating", _("Rating of staff service")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        PUBLISHED = "published", _("Published, waiting for an answer")
        ANSWERED = "answered", _("Answered")
        HIDDEN = "hidden", _("Hidden by the moderator")

    service_unit = models.ForeignKey(
        ServiceUnit, on_delete=models.PROTECT, related_name="inputs", verbose_name=_("service unit")
    )
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    body = models.TextField(_("message"), max_length=3000)
    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    answer = models.TextField(_("unit's answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("citizen input")
        verbose_name_plural = _("citizen input")
        indexes = [models.Index(fields=["service_unit", "status"], name="input_unit_status")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="rating") & Q(rating__gte=1, rating__lte=5))
                | (~Q(kind="rating") & Q(rating__isnull=True)),
                name="input_rating_only_for_ratings",
            ),
            models.CheckConstraint(
                condition=~Q(status="hidden") | ~Q(hidden_reason=""), name="input_hidden_needs_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="input_answered_needs_answer",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code


class SubmissionGuard(models.Model):
    """The keyed fingerprint of a code-less public submission, kept for the duplicate window.

    The unique key is the guard: of simultaneous identical submissions only one insert succeeds
    (the others wait for it and then fail), where a read-then-write let them all through. The row
    points at nothing and has no serial id, so it cannot be matched to the response it guarded."""

    fingerprint = models.CharField(max_length=64, primary_key=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.fingerprint


class CodeGuessCounter(models.Model):
    """Wrong one-time survey codes of one client (a keyed hash of its address, never the address)
    since the first wrong code of the current window. Locked with SELECT ... FOR UPDATE while a code
    is tried, so parallel guesses from one client are counted one after the other."""

    client = models.CharField(max_length=64, unique=True)
    window_start = models.DateTimeField(db_index=True)
    failures = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.client}: {self.failures}"
