"""Workforce planning and position structuring models (issue 10).

The tables keep their first names (org_…): these models were born in the org app and moved here
without touching the database (workforce/migrations/0001_initial.py).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from asnportal.org.models import Employee, Position, PositionKind, PositionLevel, Region, Unit

DEFAULT_EFFECTIVE_HOURS = 1250

__all__ = [
    "DEFAULT_EFFECTIVE_HOURS",
    "EmployeePlacement",
    "FormationProposal",
    "FormationProposalRow",
    "RegionFigure",
    "RegionPlanningSetting",
    "RetirementAge",
    "ServiceRatio",
    "StructureChange",
    "UnitVersion",
    "WorkloadAnalysis",
    "WorkloadTask",
]


class RegionPlanningSetting(models.Model):
    """Planning settings of a region: effective working hours per year (ABK divisor)."""

    region = models.OneToOneField(
        Region, on_delete=models.CASCADE, related_name="planning_setting", verbose_name=_("region")
    )
    effective_hours = models.PositiveIntegerField(
        _("effective working hours per year"),
        default=DEFAULT_EFFECTIVE_HOURS,
        validators=[MinValueValidator(1), MaxValueValidator(8760)],
    )

    class Meta:
        db_table = "org_regionplanningsetting"
        verbose_name = _("planning setting")
        verbose_name_plural = _("planning settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_hours__gte=1) & Q(effective_hours__lte=8760),
                name="planning_effective_hours_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.region}: {self.effective_hours}"


class RetirementAge(models.Model):
    """Retirement age (batas usia pensiun) of a position type in a region; overrides the defaults.

    An empty level applies to every level of the type; a row with a level wins over it.
    """

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="retirement_ages", verbose_name=_("region")
    )
    kind = models.CharField(_("position type"), max_length=32, choices=PositionKind.choices)
    level = models.CharField(_("level"), max_length=20, choices=PositionLevel.choices, blank=True)
    age = models.PositiveSmallIntegerField(
        _("retirement age"), validators=[MinValueValidator(50), MaxValueValidator(70)]
    )

    class Meta:
        db_table = "org_retirementage"
        ordering = ["region", "kind", "level"]
        verbose_name = _("retirement age")
        verbose_name_plural = _("retirement ages")
        constraints = [
            models.UniqueConstraint(fields=["region", "kind", "level"], name="retirement_age_unique"),
            models.CheckConstraint(condition=Q(age__gte=50) & Q(age__lte=70), name="retirement_age_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.level}: {self.age}"


class WorkloadAnalysis(models.Model):
    """Analisis beban kerja (ABK) of one position in one unit for one year."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="+", verbose_name=_("position")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "org_workloadanalysis"
        ordering = ["-year", "unit__name", "position__name"]
        verbose_name = _("workload analysis")
        verbose_name_plural = _("workload analyses")
        constraints = [
            models.UniqueConstraint(fields=["unit", "position", "year"], name="workload_unique_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.position} — {self.unit} ({self.year})"

    def clean(self) -> None:
        errors = {}
        if self.unit_id and self.region_id and self.unit.region_id != self.region_id:
            errors["unit"] = _("The unit belongs to another region.")
        if self.position_id and self.region_id and self.position.region_id != self.region_id:
            errors["position"] = _("The position belongs to another region.")
        if errors:
            raise ValidationError(errors)


class WorkloadTask(models.Model):
    """One task (uraian tugas) of a workload analysis: yearly volume x standard time."""

    class TimeUnit(models.TextChoices):
        MINUTES = "min", _("minutes")
        HOURS = "hour", _("hours")

    analysis = models.ForeignKey(
        WorkloadAnalysis, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("analysis")
    )
    name = models.CharField(_("task"), max_length=300)
    output = models.CharField(_("output"), max_length=120, blank=True)
    volume = models.DecimalField(
        _("yearly volume"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0.01)]
    )
    standard_time = models.DecimalField(
        _("standard time"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0.01)]
    )
    time_unit = models.CharField(
        _("time unit"), max_length=4, choices=TimeUnit.choices, default=TimeUnit.MINUTES
    )

    class Meta:
        db_table = "org_workloadtask"
        ordering = ["pk"]
        verbose_name = _("workload task")
        verbose_name_plural = _("workload tasks")
        constraints = [
            models.CheckConstraint(condition=Q(volume__gt=0), name="workload_volume_positive"),
            models.CheckConstraint(condition=Q(standard_time__gt=0), name="workload_time_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceRatio(models.Model):
    """A service ratio: `staff` posts of a position per `per` units of a regional figure."""

    class Measure(models.TextChoices):
        POPULATION = "population", _("Population (inhabitants)")
        PUPILS_PRIMARY = "pupils_primary", _("Pupils, primary school (SD)")
        PUPILS_JUNIOR = "pupils_junior", _("Pupils, junior secondary (SMP)")
        PUPILS_SENIOR = "pupils_senior", _("Pupils, senior secondary (SMA/SMK)")
        BIRTHS = "births", _("Births per year")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=200)
    measure = models.CharField(_("based on"), max_length=20, choices=Measure.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="+", verbose_name=_("position")
    )
    staff = models.DecimalField(
        _("staff"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0.01)]
    )
    per = models.PositiveIntegerField(_("per"), validators=[MinValueValidator(1)])

    class Meta:
        db_table = "org_serviceratio"
        ordering = ["region", "name"]
        verbose_name = _("service ratio")
        verbose_name_plural = _("service ratios")
        constraints = [
            models.UniqueConstraint(fields=["unit", "position", "measure"], name="service_ratio_unique"),
            models.CheckConstraint(condition=Q(staff__gt=0) & Q(per__gte=1), name="service_ratio_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.unit_id and self.region_id and self.unit.region_id != self.region_id:
            errors["unit"] = _("The unit belongs to another region.")
        if self.position_id and self.region_id and self.position.region_id != self.region_id:
            errors["position"] = _("The position belongs to another region.")
        if errors:
            raise ValidationError(errors)


class RegionFigure(models.Model):
    """A figure of a region in a year (population, pupils...), entered by HR."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    measure = models.CharField(_("figure"), max_length=20, choices=ServiceRatio.Measure.choices)
    value = models.PositiveIntegerField(_("value"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        db_table = "org_regionfigure"
        ordering = ["region", "-year", "measure"]
        verbose_name = _("regional figure")
        verbose_name_plural = _("regional figures")
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "measure"], name="region_figure_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} {self.year}: {self.value}"


class FormationProposal(models.Model):
    """Usulan kebutuhan (formasi) of a region for a year: draft -> submitted -> approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # Set once, when recruitment opens a selection from the approved proposal.
    selection_ref = models.CharField(_("selection"), max_length=100, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "org_formationproposal"
        ordering = ["region", "-year"]
        verbose_name = _("formation proposal")
        verbose_name_plural = _("formation proposals")
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="formation_proposal_one_per_year"),
            models.CheckConstraint(
                condition=Q(selection_ref="") | Q(status="approved"),
                name="formation_proposal_opened_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year}"

    @property
    def is_opened(self) -> bool:
        return bool(self.selection_ref)


class FormationProposalRow(models.Model):
    proposal = models.ForeignKey(
        FormationProposal, on_delete=models.CASCADE, related_name="rows", verbose_name=_("proposal")
    )
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="+", verbose_name=_("position")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    education = models.CharField(_("education required"), max_length=200, blank=True)
    quota = models.PositiveIntegerField(_("quota"), validators=[MinValueValidator(1)])
    justification = models.TextField(_("justification"), blank=True)

    class Meta:
        db_table = "org_formationproposalrow"
        ordering = ["unit__name", "position__name"]
        verbose_name = _("proposal row")
        verbose_name_plural = _("proposal rows")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "unit", "position"], name="proposal_row_unique"),
            models.CheckConstraint(condition=Q(quota__gte=1), name="proposal_row_quota_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.position} — {self.unit}: {self.quota}"


class StructureChange(models.Model):
    """The log of every restructuring (unit and position changes, bulk reassignments)."""

    class Kind(models.TextChoices):
        REASSIGN = "reassign", _("Reassignment")
        POSITION_MOVE = "position_move", _("Position moved to another unit")
        POSITION_CONVERT = "position_convert", _("Position converted")
        EQUALISATION = "equalisation", _("Equalisation (penyetaraan) to a functional position")
        UNIT_MERGE = "unit_merge", _("Units merged")
        UNIT_SPLIT = "unit_split", _("Unit split")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    kind = models.CharField(_("change"), max_length=20, choices=Kind.choices)
    effective_date = models.DateField(_("effective date"))
    note = models.CharField(_("legal basis / note"), max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    employee_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "org_structurechange"
        ordering = ["-effective_date", "-pk"]
        verbose_name = _("structure change")
        verbose_name_plural = _("structure changes")
        indexes = [models.Index(fields=["region", "effective_date"], name="structure_change_region_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_date}"


class EmployeePlacement(models.Model):
    """Where an employee sat (unit, position) from valid_from until valid_to (exclusive; null = now).

    Employees without any row are read as placed in their current unit since their TMT CPNS; the
    first restructuring that touches them writes that baseline row before changing anything.
    """

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="placements", verbose_name=_("employee")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="+", verbose_name=_("position")
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)
    change = models.ForeignKey(
        StructureChange, on_delete=models.PROTECT, null=True, blank=True, related_name="placements"
    )

    class Meta:
        db_table = "org_employeeplacement"
        ordering = ["employee", "valid_from"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        indexes = [
            models.Index(fields=["unit", "valid_from"], name="placement_unit_from"),
            models.Index(fields=["employee", "valid_from"], name="placement_employee_from"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["employee"],
                condition=Q(valid_to__isnull=True),
                name="placement_one_open_per_employee",
            ),
            models.UniqueConstraint(fields=["employee", "valid_from"], name="placement_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="placement_period_positive",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.employee_id}: {self.unit_id}/{self.position_id} {self.valid_from}–{self.valid_to or ''}"
        )


class UnitVersion(models.Model):
    """A unit's parent and name over time. A unit with no row is read as it is now, since ever.

    valid_from null = since records began; valid_to exclusive, null = still valid.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="versions", verbose_name=_("unit"))
    parent = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("parent unit")
    )
    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_to = models.DateField(_("until"), null=True, blank=True)
    change = models.ForeignKey(
        StructureChange, on_delete=models.PROTECT, null=True, blank=True, related_name="unit_versions"
    )

    class Meta:
        db_table = "org_unitversion"
        ordering = ["unit", "valid_from"]
        verbose_name = _("unit version")
        verbose_name_plural = _("unit versions")
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=Q(valid_to__isnull=True), name="unit_version_one_open"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="unit_version_period_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.valid_from or '…'}–{self.valid_to or ''}"
