import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from asnportal.org.models import Region


class PeriodKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class ReportSnapshot(models.Model):
    """One immutable, versioned evaluation report of a region for a period.

    A new version is stored only when the figures differ from the latest one, so re-running a
    job on unchanged data changes nothing. UPDATE and DELETE are refused by a trigger.
    """

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="snapshots", verbose_name=_("region")
    )
    kind = models.CharField(_("period type"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    version = models.PositiveIntegerField(_("version"))
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)
    figures = models.JSONField(_("figures"))
    digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["region", "kind", "-period_start", "-version"]
        verbose_name = _("evaluation report")
        verbose_name_plural = _("evaluation reports")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "period_start", "version"], name="snapshot_version_unique"
            ),
        ]
        indexes = [
            # The dashboard reads the latest version of the latest periods of one region.
            models.Index(fields=["region", "kind", "-period_start", "-version"], name="snapshot_latest"),
        ]
        triggers = [
            pgtrigger.Protect(name="snapshot_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.get_kind_display()} {self.period_start:%Y-%m} v{self.version}"


class ReportRun(models.Model):
    """A requested computation of one report; at most one is pending or running per region and period."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Computing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="report_runs")
    kind = models.CharField(max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    snapshot = models.ForeignKey(
        ReportSnapshot, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "period_start"],
                condition=Q(status__in=["pending", "running"]),
                name="report_run_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.kind} {self.period_start} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)
