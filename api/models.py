"""Integration tokens and the idempotency keys of the API's writes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from asnportal.org.models import Region


class Permission(models.TextChoices):
    """What a token may do; every operation of /api/v1/ names the one it needs."""

    ORG_READ = "org:read", _("Read units and positions")
    EMPLOYEES_READ = "employees:read", _("Read employees")
    PERSONAL_READ = "personal:read", _("Read personal data (NIK, phone, address); every read is audited")
    SKP_READ = "skp:read", _("Read SKP results and predikat")
    TRAINING_READ = "training:read", _("Read training records and JP")
    EXPORTS_READ = "exports:read", _("Download SIASN exports")
    LOGS_WRITE = "logs:write", _("Write daily logs for the token's user")
    EMPLOYEES_WRITE = "employees:write", _("Create and update employees (SIASN format)")


class ApiToken(models.Model):
    """A client's key: shown once, kept as prefix + SHA-256 of the secret (the secret is 256 random
    bits, so a fast hash is enough and a lookup costs one indexed query)."""

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    permissions = models.JSONField(_("permissions"), default=list)
    # The account whose daily logs the token writes (logs:write); None for system integrations.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("acts for"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    def allows(self, permission: str) -> bool:
        return permission in self.permissions

    def permission_labels(self) -> list[str]:
        labels = dict(Permission.choices)
        return [str(labels.get(p, p)) for p in self.permissions]


class IdempotentLog(models.Model):
    """A daily log written through the API under a client's idempotency key: a re-send finds it here
    (kept by the API, so performance's models stay as they are)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    # No constraint in the database: the log table is partitioned by month (performance.ActivityLog).
    log = models.ForeignKey(
        "performance.ActivityLog", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="api_idempotent_log_key")]

    def __str__(self) -> str:
        return f"{self.key} -> {self.log_id}"
