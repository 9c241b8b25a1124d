"""Recruitment (CASN selection, DESIGN.md §4): selections, formations, applicants, scores, observers, ledger.

Score tables, screening decisions, sign-offs, observations, objections and the ledger are append-only:
PostgreSQL triggers refuse UPDATE and DELETE, and a correction is a new row carrying its reason.
"""

import pgtrigger
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from asnportal.org.models import Position, Region, Unit
from asnportal.regulations.models import RuleVersion

# The §4 rules and their official defaults live in rules.py (DEFAULT_RUBRIC stays importable here).
from . import rules
from .rules import DEFAULT_RUBRIC, TIU_MAX, TKP_MAX, TWK_MAX  # noqa: F401


def append_only(name: str) -> pgtrigger.Protect:
    return pgtrigger.Protect(name=name, operation=pgtrigger.Update | pgtrigger.Delete)


class Stage(models.TextChoices):
    ADMINISTRATION = "admin", _("Administrative screening")
    SKD = "skd", _("SKD (computer-assisted test)")
    SKB = "skb", _("SKB / interview")
    FINAL = "final", _("Final ranking")


class Selection(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="selections")
    year = models.PositiveIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    name = models.CharField(_("name"), max_length=200)
    requirements = models.TextField(_("requirements"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    registration_opens = models.DateField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateField(_("registration closes"), null=True, blank=True)
    objection_opens = models.DateTimeField(_("objection window opens"), null=True, blank=True)
    objection_closes = models.DateTimeField(_("objection window closes"), null=True, blank=True)
    # Thresholds and weights are data per selection (§4), defaults per KepmenPANRB 321/2024.
    twk_min = models.PositiveSmallIntegerField(_("TWK pass mark"), default=rules.DEFAULT_THRESHOLDS.twk)
    tiu_min = models.PositiveSmallIntegerField(_("TIU pass mark"), default=rules.DEFAULT_THRESHOLDS.tiu)
    tkp_min = models.PositiveSmallIntegerField(_("TKP pass mark"), default=rules.DEFAULT_THRESHOLDS.tkp)
    w_skd = models.DecimalField(
        _("SKD weight"), max_digits=4, decimal_places=2, default=rules.DEFAULT_WEIGHTS.skd
    )
    w_skb = models.DecimalField(
        _("SKB weight"), max_digits=4, decimal_places=2, default=rules.DEFAULT_WEIGHTS.skb
    )
    skb_advance_factor = models.PositiveSmallIntegerField(
        _("SKB advance factor (x quota)"), default=rules.SKB_ADVANCE_FACTOR
    )
    # The rule versions in force in the region when the selection was opened (asnportal.regulations):
    # the SKD one its pass marks and weights started from, the SKB rubric its panel scores with. No
    # version: version 1, the official values (a selection opened before rules were versioned).
    skd_rule = models.ForeignKey(
        RuleVersion,
        verbose_name=_("SKD rule version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    skb_rule = models.ForeignKey(
        RuleVersion,
        verbose_name=_("SKB rubric version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("selection")
        verbose_name_plural = _("selections")
        constraints = [
            models.CheckConstraint(
                condition=Q(w_skd__gte=0) & Q(w_skb__gte=0) & Q(w_skd__lte=1) & Q(w_skb__lte=1),
                name="selection_weights_range",
            ),
            models.CheckConstraint(
                condition=Q(twk_min__lte=TWK_MAX) & Q(tiu_min__lte=TIU_MAX) & Q(tkp_min__lte=TKP_MAX),
                name="selection_thresholds_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"

    @property
    def thresholds(self) -> rules.SkdThresholds:
        return rules.SkdThresholds(twk=self.twk_min, tiu=self.tiu_min, tkp=self.tkp_min)

    @property
    def weights(self) -> rules.FinalWeights:
        return rules.FinalWeights(skd=self.w_skd, skb=self.w_skb)


class ScheduleItem(models.Model):
    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="schedule")
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    location = models.CharField(_("location"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("schedule item")
        verbose_name_plural = _("schedule")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class Formation(models.Model):
    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="formations")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    education = models.CharField(_("education required"), max_length=200)
    quota = models.PositiveIntegerField(_("quota"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["selection", "unit__name", "position__name"]
        verbose_name = _("formation")
        verbose_name_plural = _("formations")

    def __str__(self) -> str:
        return f"{self.position.name} — {self.unit.name}"


class Announcement(models.Model):
    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="announcements")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class ApplicantProfile(models.Model):
    """The applicant's personal data: never shown on a public page."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applicant")
    full_name = models.CharField(_("full name"), max_length=200)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    education = models.CharField(_("education"), max_length=200, blank=True)
    # Set when the retention job blanked the personal data (recruitment.retention).
    purged_at = models.DateTimeField(_("personal data purged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("applicant profile")
        verbose_name_plural = _("applicant profiles")

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_complete(self) -> bool:
        return bool(self.nik and self.birth_date and self.address and self.phone and self.education)


class Document(models.Model):
    class Kind(models.TextChoices):
        KTP = "ktp", _("Identity card (KTP)")
        DIPLOMA = "ijazah", _("Diploma (ijazah)")
        TRANSCRIPT = "transkrip", _("Transcript")
        PHOTO = "foto", _("Photo")
        OTHER = "lain", _("Other")

    profile = models.ForeignKey(ApplicantProfile, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document type"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="recruitment/documents/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ADMIN_PASSED = "admin_ok", _("Passed administrative screening")
        ADMIN_FAILED = "admin_no", _("Did not pass administrative screening")
        SKD_PASSED = "skd_ok", _("Passed SKD, advances to SKB")
        SKD_FAILED = "skd_no", _("Did not advance past SKD")

    selection = models.ForeignKey(Selection, on_delete=models.PROTECT, related_name="applications")
    formation = models.ForeignKey(Formation, on_delete=models.PROTECT, related_name="applications")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    participant_number = models.CharField(_("participant number"), max_length=24)
    # Copied from the profile when applying: the record of what was submitted.
    full_name = models.CharField(_("name"), max_length=200)
    # NIK and birth date are blanked by the retention job (recruitment.retention) once the selection
    # has ended and the retention period has passed; birth_order then keeps the "older first" tie-break
    # of the ranking (its rank among the selection's birth dates, taken before the dates were blanked).
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_order = models.PositiveIntegerField(null=True, blank=True, editable=False)
    purged_at = models.DateTimeField(_("personal data purged at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["participant_number"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["selection", "nik"], condition=~Q(nik=""), name="application_one_per_nik"
            ),
            models.UniqueConstraint(fields=["selection", "user"], name="application_one_per_user"),
            models.UniqueConstraint(
                fields=["selection", "participant_number"], name="participant_number_unique"
            ),
        ]
        indexes = [models.Index(fields=["selection", "formation"], name="application_formation")]

    def __str__(self) -> str:
        return f"{self.participant_number} {self.full_name}"


class ScreeningDecision(models.Model):
    """HR's decision on the administrative requirements; the latest row counts."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="screenings")
    met = models.BooleanField(_("requirements met"))
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        triggers = [append_only("screening_append_only")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class SkdScore(models.Model):
    """One SKD result row from the CAT file; the latest row per application counts."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="skd_scores")
    twk = models.PositiveSmallIntegerField(validators=[MaxValueValidator(TWK_MAX)])
    tiu = models.PositiveSmallIntegerField(validators=[MaxValueValidator(TIU_MAX)])
    tkp = models.PositiveSmallIntegerField(validators=[MaxValueValidator(TKP_MAX)])
    reason = models.TextField(_("correction reason"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["application", "-id"], name="skd_latest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(twk__lte=TWK_MAX) & Q(tiu__lte=TIU_MAX) & Q(tkp__lte=TKP_MAX),
                name="skd_item_maxima",
            )
        ]
        triggers = [append_only("skd_append_only")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"

    @property
    def total(self) -> int:
        return rules.skd_total(twk=self.twk, tiu=self.tiu, tkp=self.tkp)


class SkbScore(models.Model):
    """One panel member's rubric score (0–100); per application the latest row of each member counts."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="skb_scores")
    panel_member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    items = models.JSONField(default=dict)
    # the SKB rubric version the score was computed under (its selection's); none: version 1
    rule = models.ForeignKey(
        RuleVersion,
        verbose_name=_("SKB rubric version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    score = models.DecimalField(
        max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    reason = models.TextField(_("correction reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["application", "panel_member", "-id"], name="skb_latest")]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="skb_range")
        ]
        triggers = [append_only("skb_append_only")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class ObserverAssignment(models.Model):
    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="observer_assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")), name="observer_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class PanelAssignment(models.Model):
    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="panel_assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("valid_from")), name="panel_period")
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class ConflictDeclaration(models.Model):
    class Relationship(models.TextChoices):
        FAMILY = "keluarga", _("Family")
        WORK = "kerja", _("Working relationship")
        OTHER = "lain", _("Other")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="conflicts")
    panel_member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    relationship = models.CharField(_("relationship"), max_length=10, choices=Relationship.choices)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        triggers = [append_only("conflict_append_only")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class Observation(models.Model):
    class Severity(models.TextChoices):
        INFO = "info", _("Information")
        MINOR = "minor", _("Minor")
        MAJOR = "major", _("Major")
        CRITICAL = "critical", _("Critical")

    selection = models.ForeignKey(Selection, on_delete=models.PROTECT, related_name="observations")
    observer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    observed_at = models.DateTimeField(_("time"))
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)
    location = models.CharField(_("location"), max_length=200)
    finding = models.TextField(_("finding"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    attachment = models.FileField(_("attachment"), upload_to="recruitment/observations/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-observed_at"]
        triggers = [append_only("observation_append_only")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class SignOff(models.Model):
    """An observer signs a stage's score sheet: the digest of the scores in force at that moment."""

    selection = models.ForeignKey(Selection, on_delete=models.PROTECT, related_name="signoffs")
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)
    observer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sheet_digest = models.CharField(max_length=64)
    last_score_id = models.BigIntegerField(default=0)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        triggers = [append_only("signoff_append_only")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class Objection(models.Model):
    """A sanggah filed by an applicant within the selection's objection window."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="objections")
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)
    text = models.TextField(_("objection"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        triggers = [append_only("objection_append_only")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class ObjectionAnswer(models.Model):
    objection = models.OneToOneField(Objection, on_delete=models.PROTECT, related_name="answer")
    accepted = models.BooleanField(_("objection accepted"))
    text = models.TextField(_("answer"))
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        triggers = [append_only("objection_answer_append_only")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class LedgerHead(models.Model):
    """The head of a selection's chain: locked with select_for_update so appends stay linear."""

    selection = models.OneToOneField(Selection, on_delete=models.PROTECT, related_name="ledger_head")
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class LedgerEntry(models.Model):
    """hash = sha256(prev_hash + canonical JSON of the entry); UPDATE and DELETE refused by trigger."""

    selection = models.ForeignKey(Selection, on_delete=models.PROTECT, related_name="ledger")
    seq = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=30)
    object_id = models.BigIntegerField()
    actor = models.CharField(max_length=150)
    at = models.DateTimeField()
    payload = models.JSONField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["selection", "seq"]
        constraints = [models.UniqueConstraint(fields=["selection", "seq"], name="ledger_seq_unique")]
        triggers = [append_only("ledger_append_only")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"
