"""Writes of the accounts core: the second factor's life cycle (issue 16).

Enrollment, recovery codes, verification with throttling and lockout, and the reset by a region's
admin. Each is audit-logged and announced to the user by mail (through the outbox, after commit).
"""

import base64
import datetime as dt
import io
import time

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from asnportal.tasking import mail_queue

from .access import audit_record, employee_of, roles_of
from .codes import (
    RECOVERY_CODE_COUNT,
    link_token_hash,
    link_token_new,
    looks_like_recovery_code,
    recovery_code_hash,
    recovery_code_new,
)
from .models import EnrollmentLink, RecoveryCode, RecoveryCodeDevice, User
from .security import ENROLLMENT_LINK_HOURS, OTP_LOCKOUT_FAILURES, OTP_LOCKOUT_MINUTES, enrollment_allowed

WRONG_CODE = gettext_noop("That code is not right. Check the time on your phone and try the newest code.")
DEVICE_NAME = "Authenticator"


def _home_region_id(user) -> int | None:
    """The region an event about the user is filed under (their roles' region, else their employer)."""
    for regions in roles_of(user).values():
        for region_id in regions:
            if region_id is not None:
                return region_id
    employee = employee_of(user)
    return employee.region_id if employee else None


def _announce(user, *, action: str, detail: dict, request, subject: str, body: str, actor=None) -> None:
    """Every step of a user's second factor is audit-logged and mailed to that user (issue 16)."""
    audit_record(
        request=request,
        user=actor or user,
        action=action,
        obj=user,
        region_id=_home_region_id(user),
        detail=detail,
    )
    if user.email:
        mail_queue(to=[user.email], subject=subject, body=body)


def _local(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def otp_secret_new() -> str:
    """A fresh TOTP key (hex), kept in the session until the user confirms it with a first code."""
    return random_hex(20)


def otp_qr_data_uri(*, user, key: str) -> str:
    """The otpauth:// URL as an inline SVG QR code (a data: URI, allowed by the CSP's img-src)."""
    device = TOTPDevice(user=user, key=key, name=DEVICE_NAME)
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(buffer, kind="svg", scale=5, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def otp_secret_display(key: str) -> str:
    return base64.b32encode(bytes.fromhex(key)).decode()


def _recovery_codes_replace(user) -> list[str]:
    device, _created = RecoveryCodeDevice.objects.get_or_create(
        user=user, defaults={"name": "Recovery codes", "confirmed": True}
    )
    device.codes.all().delete()
    device.throttle_reset()
    codes = [recovery_code_new() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, code_hash=recovery_code_hash(c)) for c in codes
    )
    return codes


def otp_device_enroll(
    *, user, key: str, token: str, session_verified: bool, link: EnrollmentLink | None = None, request=None
) -> tuple[TOTPDevice, list[str]]:
    """Link an authenticator app (key from the session) once its first code checks out.

    Who may (security.enrollment_allowed): a verified session, the user's own one-time link, or a
    first enrollment. The old device keeps working until this moment, then is removed. Recovery codes
    are made when the user has none left (first enrollment, after a reset); they are returned once.
    """
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one enrollment at a time
        if link is not None:
            link = EnrollmentLink.objects.select_for_update().get(pk=link.pk)
        if not enrollment_allowed(user, session_verified=session_verified, link=link):
            raise PermissionDenied
        totp = _first_code_checked(key, token)
        device, replaced = _totp_device_replace(user, key=key, last_t=totp.t())
        if link is not None:
            link.used_at = timezone.now()
            link.save(update_fields=["used_at"])
        has_codes = RecoveryCode.objects.filter(device__user=user, used_at__isnull=True).exists()
        codes = [] if has_codes else _recovery_codes_replace(user)
        _announce(
            user,
            action="otp_enrolled",
            detail={"replaced": replaced, "via_link": link is not None, "recovery_codes": bool(codes)},
            request=request,
            subject=_("ASN Portal: an authenticator app was linked to your account"),
            body=_(
                "On %(when)s an authenticator app was linked to your ASN Portal account %(username)s."
                " If this was not you, tell your region's HR officer at once."
            )
            % {"when": _local(timezone.now()), "username": user.get_username()},
        )
    return device, codes


def _first_code_checked(key: str, token: str) -> TOTP:
    """The app's first code against the new key (one step of clock drift allowed), else WRONG_CODE."""
    totp = TOTP(bytes.fromhex(key))
    totp.time = time.time()
    if not totp.verify(int(token), tolerance=1):
        raise ValidationError(_(WRONG_CODE))
    return totp


def _totp_device_replace(user, *, key: str, last_t: int) -> tuple[TOTPDevice, bool]:
    """The new confirmed device instead of the old ones; (device, whether a confirmed one was replaced)."""
    old = TOTPDevice.objects.filter(user=user)
    replaced = old.filter(confirmed=True).exists()
    old.delete()
    device = TOTPDevice(user=user, name=DEVICE_NAME, key=key, confirmed=True, last_t=last_t)
    device.full_clean(exclude=["user"])
    device.save()
    return device, replaced


def recovery_codes_generate(*, user, request=None) -> list[str]:
    """New recovery codes (the old ones stop working), shown to the user once; from a verified session."""
    with transaction.atomic():
        codes = _recovery_codes_replace(user)
        _announce(
            user,
            action="otp_recovery_generated",
            detail={"count": len(codes)},
            request=request,
            subject=_("ASN Portal: new recovery codes"),
            body=_(
                "On %(when)s new recovery codes were made for your ASN Portal account %(username)s;"
                " the old ones no longer work. If this was not you, tell your region's HR officer at once."
            )
            % {"when": _local(timezone.now()), "username": user.get_username()},
        )
    return codes


def _lock_until(devices) -> dt.datetime | None:
    until = None
    for device in devices:
        if device.throttling_failure_count >= OTP_LOCKOUT_FAILURES and device.throttling_failure_timestamp:
            end = device.throttling_failure_timestamp + dt.timedelta(minutes=OTP_LOCKOUT_MINUTES)
            if end > timezone.now() and (until is None or end > until):
                until = end
    return until


def _locked_message(until: dt.datetime) -> str:
    return _(
        "Too many wrong codes. Verification is locked until %(time)s. If you have lost your"
        " authenticator app, use a recovery code after that time or ask your region's HR officer to"
        " reset it."
    ) % {"time": formats.time_format(timezone.localtime(until), "H:i")}


def _is_replay(device: TOTPDevice, token: str) -> bool:
    """The code is right for the app but was used already (django-otp refuses it through last_t)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return totp.verify(int(token), device.tolerance)


def otp_token_verify(*, user, token: str, request=None) -> RecoveryCodeDevice | TOTPDevice:
    """Check a code from the app, or a recovery code, for the user's second factor.

    Through django-otp's verify_token: a used TOTP code is refused (last_t), a recovery code works
    once, wrong codes are throttled (django-otp's back-off); after OTP_LOCKOUT_FAILURES wrong codes in
    a row verification is locked for OTP_LOCKOUT_MINUTES (audit-logged, the user is mailed).
    Raises ValidationError with the message to show; the failure is recorded all the same.
    """
    recovery = looks_like_recovery_code(token)  # 10 characters; an app code has 6 digits
    error = None
    with transaction.atomic():
        devices = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
        devices += list(RecoveryCodeDevice.objects.select_for_update().filter(user=user, confirmed=True))
        candidates = [d for d in devices if isinstance(d, RecoveryCodeDevice) == recovery]
        error = _refusal_before_check(devices, candidates, recovery=recovery)
        if error is None:
            matched = next((d for d in candidates if d.verify_token(token)), None)
            if matched is not None:
                if recovery:
                    _recovery_code_used(user=user, device=matched, request=request)
                return matched
            error = _wrong_code_error(user, candidates, token, recovery=recovery, request=request)
    raise ValidationError(error)


def _refusal_before_check(devices: list, candidates: list, *, recovery: bool) -> str | None:
    """Why the code is not even checked: locked out, no device of its kind, django-otp's back-off."""
    until = _lock_until(devices)
    if until is not None:
        return _locked_message(until)
    if not candidates:
        return _("You have no recovery codes left.") if recovery else _(WRONG_CODE)
    waits = [info for ok, info in (d.verify_is_allowed() for d in candidates) if not ok]
    if not waits:
        return None
    seconds = max(1, int((max(w["locked_until"] for w in waits) - timezone.now()).total_seconds()) + 1)
    return ngettext(
        "Too many wrong codes. Wait %(seconds)d second and try again.",
        "Too many wrong codes. Wait %(seconds)d seconds and try again.",
        seconds,
    ) % {"seconds": seconds}


def _wrong_code_error(user, candidates: list, token: str, *, recovery: bool, request) -> str:
    """The message for a code that matched no device; the lockout it reached is announced."""
    until = _lock_until(candidates)
    if until is not None:
        _locked(user=user, until=until, request=request)
        return _locked_message(until)
    if not recovery and any(_is_replay(d, token) for d in candidates):
        return _("That code was used already. Wait for the next code in your app.")
    return _(WRONG_CODE)


def _recovery_code_used(*, user, device: RecoveryCodeDevice, request) -> None:
    left = device.remaining()
    _announce(
        user,
        action="otp_recovery_used",
        detail={"left": left},
        request=request,
        subject=_("ASN Portal: a recovery code was used"),
        body=_(
            "On %(when)s a recovery code was used to log in to your ASN Portal account %(username)s;"
            " %(left)d codes are left. If this was not you, tell your region's HR officer at once."
        )
        % {"when": _local(timezone.now()), "username": user.get_username(), "left": left},
    )


def _locked(*, user, until: dt.datetime, request) -> None:
    _announce(
        user,
        action="otp_locked",
        detail={"until": until.isoformat(), "failures": OTP_LOCKOUT_FAILURES},
        request=request,
        subject=_("ASN Portal: verification locked after wrong codes"),
        body=_(
            "Too many wrong codes were typed for your ASN Portal account %(username)s: verification is"
            " locked until %(until)s. If this was not you, someone knows your password: change it"
            " and tell your region's HR officer."
        )
        % {"username": user.get_username(), "until": _local(until)},
    )


def otp_device_reset(*, user, by, reason: str, request=None) -> str:
    """A region's admin removes the user's authenticator apps and recovery codes (the reason is
    mandatory) and gives the user a one-time enrollment link, mailed to them; returns its token.

    Until the link is used, the user cannot link an app with the password alone."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the reset."))
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        removed = _second_factor_remove(user)
        token, link = _enrollment_link_issue(user, by=by, reason=reason)
        url = settings.SITE_URL + reverse("accounts:otp_enroll", args=[token])
        _announce(
            user,
            actor=by,
            action="otp_reset",
            detail={"reason": reason, "devices_removed": removed, "link": link.pk},
            request=request,
            subject=_("ASN Portal: your two-factor authentication was reset"),
            body=_(
                "%(by)s reset the two-factor authentication of your ASN Portal account %(username)s"
                " on %(when)s. Reason: %(reason)s\n\nLog in with your password and open this link to"
                " link your authenticator app again (it works once, until %(until)s):\n%(url)s\n\n"
                "If you did not ask for this, tell your region's HR officer at once."
            )
            % {
                "by": by.get_full_name() or by.get_username(),
                "username": user.get_username(),
                "when": _local(timezone.now()),
                "reason": reason,
                "until": _local(link.expires_at),
                "url": url,
            },
        )
    return token


def _second_factor_remove(user) -> int:
    """The user's apps, recovery codes and unused enrollment links go; returns the apps removed."""
    removed = TOTPDevice.objects.filter(user=user, confirmed=True).count()
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCodeDevice.objects.filter(user=user).delete()
    EnrollmentLink.objects.filter(user=user, used_at__isnull=True).delete()  # older links stop working
    return removed


def _enrollment_link_issue(user, *, by, reason: str) -> tuple[str, EnrollmentLink]:
    """A one-time enrollment link for ENROLLMENT_LINK_HOURS; (its token, shown once; the link)."""
    token = link_token_new()
    link = EnrollmentLink(
        user=user,
        token_hash=link_token_hash(token),
        created_by=by,
        reason=reason,
        expires_at=timezone.now() + dt.timedelta(hours=ENROLLMENT_LINK_HOURS),
    )
    link.full_clean()
    link.save()
    return token, link
