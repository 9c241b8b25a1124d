"""SKP plans, daily activity logs, continuous feedback, appraisals and talent (DESIGN.md §4)."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from asnportal.org.models import Employee, Region, Unit


class Rating(models.TextChoices):
    """The three-step scale of PermenPANRB 6/2022 for work results and behaviour."""

    ABOVE = "di_atas", _("Above expectation")
    MEETS = "sesuai", _("Meets expectation")
    BELOW = "di_bawah", _("Below expectation")


class Predikat(models.TextChoices):
    SANGAT_BAIK = "sangat_baik", _("Sangat Baik")
    BAIK = "baik", _("Baik")
    BUTUH_PERBAIKAN = "butuh_perbaikan", _("Butuh Perbaikan")
    KURANG = "kurang", _("Kurang/Misconduct")
    SANGAT_KURANG = "sangat_kurang", _("Sangat Kurang")


class BerAKHLAK(models.TextChoices):
    BERORIENTASI_PELAYANAN = "berorientasi_pelayanan", _("Service oriented (Berorientasi Pelayanan)")
    AKUNTABEL = "akuntabel", _("Accountable (Akuntabel)")
    KOMPETEN = "kompeten", _("Competent (Kompeten)")
    HARMONIS = "harmonis", _("Harmonious (Harmonis)")
    LOYAL = "loyal", _("Loyal")
    ADAPTIF = "adaptif", _("Adaptive (Adaptif)")
    KOLABORATIF = "kolaboratif", _("Collaborative (Kolaboratif)")


class OrgRating(models.TextChoices):
    """The organisation's own rating, which fixes the curve its staff's predikat must follow."""

    ISTIMEWA = "istimewa", _("Istimewa")
    BAIK = "baik", _("Baik")
    BUTUH_PERBAIKAN = "butuh_perbaikan", _("Butuh Perbaikan")
    KURANG = "kurang", _("Kurang")
    SANGAT_KURANG = "sangat_kurang", _("Sangat Kurang")


class Potential(models.TextChoices):
    RENDAH = "rendah", _("Low (rendah)")
    MENENGAH = "menengah", _("Medium (menengah)")
    TINGGI = "tinggi", _("High (tinggi)")


class Period(models.Model):
    """An appraisal period of a region, opened and closed by HR; thresholds are stored per period."""

    class Kind(models.TextChoices):
        TW1 = "tw1", _("Triwulan I")
        TW2 = "tw2", _("Triwulan II")
        TW3 = "tw3", _("Triwulan III")
        TW4 = "tw4", _("Triwulan IV-Akhir")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    QUARTER = {"tw1": 1, "tw2": 2, "tw3": 3, "tw4": 4}

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="performance_periods")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("period"), max_length=4, choices=Kind.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.OPEN)
    # Achievement ratio (realisation ÷ target) from which a work result is "di atas" / "sesuai".
    above_from = models.DecimalField(
        _("above expectation from (ratio)"), max_digits=5, decimal_places=2, default=Decimal("1.10")
    )
    meets_from = models.DecimalField(
        _("meets expectation from (ratio)"), max_digits=5, decimal_places=2, default=Decimal("0.90")
    )
    org_rating = models.CharField(
        _("organisation rating"), max_length=16, choices=OrgRating.choices, default=OrgRating.BAIK
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-kind"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "kind"], name="period_unique_per_region"),
            models.CheckConstraint(condition=Q(start__lte=models.F("end")), name="period_start_before_end"),
            models.CheckConstraint(
                condition=Q(meets_from__gt=0) & Q(above_from__gt=models.F("meets_from")),
                name="period_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"

    @property
    def quarter(self) -> int:
        return self.QUARTER[self.kind]

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def year_start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    def clean(self) -> None:
        if self.above_from is not None and self.meets_from is not None and self.above_from <= self.meets_from:
            raise ValidationError(
                {"above_from": _("The 'above' threshold must be higher than the 'meets' one.")}
            )


class Plan(models.Model):
    """An employee's SKP for one year: draft -> submitted -> agreed by the supervisor."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to supervisor")
        AGREED = "agreed", _("Agreed")

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="performance_plans")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_note = models.TextField(blank=True)  # the supervisor's note when sending it back
    change_reason = models.TextField(blank=True)  # why an agreed plan is being changed
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["employee", "year"], name="plan_one_per_year")]

    def __str__(self) -> str:
        return f"SKP {self.year} {self.employee.name}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class PlanVersion(models.Model):
    """An agreed version of a plan, kept when the plan is changed after agreement (history)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    snapshot = models.JSONField()  # [{"result": ..., "kpis": [{indicator, target, unit, weight, source}]}]
    agreed_at = models.DateTimeField(null=True)
    agreed_by_name = models.CharField(max_length=200, blank=True)
    change_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["plan", "version"], name="plan_version_unique")]

    def __str__(self) -> str:
        return f"{self.plan} v{self.version}"


class WorkResult(models.Model):
    """A rencana hasil kerja, cascaded from one of the supervisor's results when they have a plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="results")
    text = models.CharField(_("work result"), max_length=500)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cascaded",
        verbose_name=_("supervisor's work result it supports"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


class Indicator(models.Model):
    """A KPI (indikator kinerja individu) of a work result, with target, unit and weight."""

    class Source(models.TextChoices):
        LOGS = "logs", _("Approved daily activity logs")
        IKM = "ikm", _("Public satisfaction index (IKM) of my unit")

    result = models.ForeignKey(WorkResult, on_delete=models.CASCADE, related_name="indicators")
    text = models.CharField(_("indicator"), max_length=300)
    target = models.DecimalField(
        _("target"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    unit = models.CharField(_("unit of measure"), max_length=40)
    weight = models.DecimalField(
        _("weight (%)"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    source = models.CharField(
        _("realisation source"), max_length=4, choices=Source.choices, default=Source.LOGS
    )
    # Set at the first agreement: only agreed KPIs may be served by a log.
    agreed_at = models.DateTimeField(null=True, blank=True)
    removed = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(target__gt=0), name="indicator_target_positive"),
            models.CheckConstraint(
                condition=Q(weight__gt=0) & Q(weight__lte=100), name="indicator_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Evidence(models.Model):
    """Bukti dukung of a log: kept in the database so any web/worker container can serve it."""

    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    content = models.BinaryField()

    def __str__(self) -> str:
        return self.filename


class ActivityLog(models.Model):
    """A laporan kegiatan harian; `date` is the employee's local date in their region's time zone.

    On PostgreSQL the table is partitioned by month of `date` (migration 0006, performance/partitions.py).
    PostgreSQL wants the partition key in every unique index, so the primary key in the database is
    (id, date) and the two unique constraints below carry `date`; Django keeps `id` as the primary key,
    unique by its identity sequence. No foreign key constraint can point at `id` alone: the keys into
    this table (FeedbackMessage.log, api's IdempotentLog.log) are `db_constraint=False`, Django does
    their CASCADE, and the retention step (`manage.py logs_partitions`) archives their rows with the
    logs of a detached month.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    # No single-column indexes on the two foreign keys: `log_employee_date` and
    # `log_indicator_realisation` below start with them and serve every lookup by either one
    # (including the PROTECT checks). At 3.2 M logs the two redundant indexes took 190 MB and 2.5 s
    # of every bulk load, and slowed each saved log.
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="activity_logs", db_index=False
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="logs", db_index=False)
    date = models.DateField(_("date"))
    quantity = models.DecimalField(
        _("quantity achieved"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    description = models.CharField(_("what I did"), max_length=500)
    # One log per evidence file, enforced by the partial unique index `log_evidence_once` below: most
    # logs have no file, and a plain UNIQUE column would index millions of NULLs (1.3 s per 3 M rows
    # on a bulk load) for nothing.
    evidence = models.ForeignKey(
        Evidence, null=True, blank=True, on_delete=models.SET_NULL, related_name="logs", db_index=False
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    # Not indexed: no page looks logs up by reviewer, and the only use would be nulling the column when
    # a reviewer is deleted, which never happens to staff with logs (PROTECT); the index cost 1.5 s
    # per 3 M rows on a bulk load and a write on every review.
    reviewed_by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The idempotency key a phone gives a log it queued offline (a random UUID): sending the queue
    # again returns the log already made instead of a second one (unique per employee, see below).
    client_key = models.CharField(max_length=64, blank=True, default="", db_default="")

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [
            # The employee's own log list: WHERE employee_id = ? ORDER BY date DESC, id DESC LIMIT n.
            models.Index(fields=["employee", "-date", "-id"], name="log_employee_date"),
            # The supervisor queue reads only waiting logs of the team, oldest first; a partial index
            # keeps it small however many reviewed logs pile up.
            models.Index(
                fields=["employee", "date", "id"],
                name="log_waiting_queue",
                condition=Q(status="submitted"),
            ),
            # Realisation per KPI and period: SUM(quantity) WHERE indicator_id = ? AND status = approved
            # AND date BETWEEN ...; the covering column lets PostgreSQL answer from the index.
            models.Index(
                fields=["indicator", "status", "date"], include=["quantity"], name="log_indicator_realisation"
            ),
            # Migration 0004's BRIN index on `date` is gone with the monthly partitions (0006): a date
            # filter now skips whole months by partition pruning.
        ]
        constraints = [
            # `date` is in both unique keys for the partitions (see the class). An evidence file is made
            # for its one log in the same transaction, so (evidence, date) is as strict as (evidence).
            models.UniqueConstraint(
                fields=["evidence", "date"], condition=Q(evidence__isnull=False), name="log_evidence_once"
            ),
            # Partial: logs typed without the offline queue have no key and cost the index nothing. A
            # re-send of a queued log carries its date too, so (employee, client_key, date) settles two
            # simultaneous sends; log_create looks the key up without the date first (the first log wins).
            models.UniqueConstraint(
                fields=["employee", "client_key", "date"],
                condition=~Q(client_key=""),
                name="log_client_key_once",
            ),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="log_quantity_non_negative"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0) & Q(duration_minutes__lte=24 * 60),
                name="log_duration_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.description[:40]}"


class FeedbackMessage(models.Model):
    """Umpan balik berkelanjutan: the thread of a log, written by the supervisor and the employee."""

    # No constraint in the database: the log table is partitioned (see ActivityLog); Django cascades.
    log = models.ForeignKey(
        ActivityLog, on_delete=models.CASCADE, related_name="messages", db_constraint=False
    )
    author = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["log", "created_at"], name="feedback_log_time")]

    def __str__(self) -> str:
        return self.body[:40]


class LogReminder(models.Model):
    """One reminder per employee and local day: the unique constraint makes the beat task idempotent.

    Partitioned by month of `date` on PostgreSQL like ActivityLog (its unique key has the date already;
    the primary key is (id, date) in the database)."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="log_reminders")
    date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["employee", "date"], name="log_reminder_once_a_day")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date}"


class Appraisal(models.Model):
    """One version of an employee's appraisal for a period; corrections add versions with a reason."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="appraisals")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="appraisals")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")  # unit at appraisal time
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    achievement = models.DecimalField(max_digits=8, decimal_places=4)  # weighted achievement ratio
    work_rating = models.CharField(max_length=8, choices=Rating.choices)
    behaviour = models.JSONField()  # {berakhlak code: rating}
    behaviour_rating = models.CharField(max_length=8, choices=Rating.choices)
    predikat = models.CharField(max_length=16, choices=Predikat.choices)
    computation = models.JSONField()  # per-KPI rows, thresholds: how each number was computed
    reason = models.TextField(_("reason for correction"), blank=True)
    rated_by = models.ForeignKey(Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period__year", "-period__kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "period", "version"], name="appraisal_version_unique"
            ),
            models.UniqueConstraint(
                fields=["employee", "period"], condition=Q(is_current=True), name="appraisal_one_current"
            ),
        ]
        indexes = [
            # Distribution, recognition and reports read the current appraisals of a period.
            models.Index(
                fields=["period", "unit"], condition=Q(is_current=True), name="appraisal_current_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.period_id} v{self.version}"


class TalentPotential(models.Model):
    """Potential of an employee recorded by HR for a year (PermenPANRB 3/2020)."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="potentials")
    year = models.PositiveSmallIntegerField(_("year"))
    potential = models.CharField(_("potential"), max_length=10, choices=Potential.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["employee", "year"], name="potential_one_per_year")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.year} {self.potential}"
