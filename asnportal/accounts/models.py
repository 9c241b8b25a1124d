from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

from asnportal.org.models import Region


class User(AbstractUser):
    email = models.EmailField(_("email address"), blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Role(models.TextChoices):
    """Roles held in a region (§3). Staff and supervisor are derived from the employee record."""

    HR_OFFICER = "hr", _("HR officer (BKPSDM)")
    REGIONAL_HEAD = "head", _("Regional head")
    PANEL_MEMBER = "panel", _("Selection panel member")
    OBSERVER = "observer", _("Independent observer")
    APPLICANT = "applicant", _("Applicant")


# Roles whose holder is scoped to a region; applicants are not.
REGIONAL_ROLES = frozenset({Role.HR_OFFICER, Role.REGIONAL_HEAD, Role.PANEL_MEMBER, Role.OBSERVER})


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, related_name="role_assignments"
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "region"], name="role_unique_per_region"),
            models.CheckConstraint(
                condition=Q(role="applicant") | Q(region__isnull=False), name="regional_role_has_region"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="role_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.region or '-'})"


class AuditEvent(models.Model):
    """Who read a personal record or wrote a score, when and from where (append-only)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_type}#{self.object_id}"


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """A user's one-time recovery codes, as a django-otp device: a code verifies the session like the
    authenticator app does, and wrong codes are throttled the same way. Codes are stored hashed."""

    class Meta:
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)

    def verify_token(self, token) -> bool:
        from .codes import looks_like_recovery_code, recovery_code_check

        allowed, _info = self.verify_is_allowed()
        if not allowed:
            return False
        match = None
        if looks_like_recovery_code(token):
            match = next(
                (
                    c
                    for c in self.codes.filter(used_at__isnull=True)
                    if recovery_code_check(token, c.code_hash)
                ),
                None,
            )
        # A conditional update: of two requests using one code at once, only one wins.
        if match is None or not RecoveryCode.objects.filter(pk=match.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        ):
            self.throttle_increment(commit=True)
            return False
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True

    def remaining(self) -> int:
        return self.codes.filter(used_at__isnull=True).count()


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=200)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"{self.device_id}#{self.pk}"


class EnrollmentLink(models.Model):
    """A one-time link to link a new authenticator app, given by a region's admin after a reset.

    Only the token's digest is stored; the link itself goes to the user by mail."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="otp_enrollment_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("enrollment link")
        verbose_name_plural = _("enrollment links")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"

    def usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()
