"""Who must use a second factor, who may link an authenticator app, and the officers' idle timeout."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device

from .access import roles_of
from .models import EnrollmentLink, Role

# Roles that read personal data in bulk or write scores: they log in with a second factor.
SECOND_FACTOR_ROLES = frozenset({Role.HR_OFFICER, Role.OBSERVER, Role.PANEL_MEMBER})

# After this many wrong codes in a row the second factor is locked for OTP_LOCKOUT_MINUTES
# (on top of django-otp's back-off of 1, 2, 4, 8 ... seconds between attempts).
OTP_LOCKOUT_FAILURES = getattr(settings, "OTP_LOCKOUT_FAILURES", 5)
OTP_LOCKOUT_MINUTES = getattr(settings, "OTP_LOCKOUT_MINUTES", 15)
ENROLLMENT_LINK_HOURS = getattr(settings, "OTP_ENROLLMENT_LINK_HOURS", 72)


def needs_second_factor(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or user.is_superuser or bool(SECOND_FACTOR_ROLES & set(roles_of(user)))


def reset_pending(user) -> bool:
    """An admin reset the user's second factor: only the link they were given may enroll a new one."""
    return EnrollmentLink.objects.filter(user_id=user.pk, used_at__isnull=True).exists()


def enrollment_allowed(user, *, session_verified: bool, link: EnrollmentLink | None = None) -> bool:
    """Linking (or replacing) an authenticator app needs one of: a session verified with the current
    device; a one-time enrollment link an admin gave this user; or, for a user who has never had a
    device (no confirmed device, no reset pending), the password alone. A password-only session of a
    user with a device can never enroll another: that was the hole of issue 16."""
    if link is not None:
        return link.user_id == user.pk and link.usable()
    if session_verified:
        return True
    return not user_has_device(user) and not reset_pending(user)


def unverified_redirect(request):
    """Where a user goes who has not verified this session with a device (None when verified): to
    the verification page, or to link a device when they have none."""
    if request.user.is_verified():
        return None
    target = "accounts:otp_verify" if user_has_device(request.user) else "accounts:otp_setup"
    return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


def verified_session_required(view):
    """Login required and a session verified with the second factor (see unverified_redirect)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return unverified_redirect(request) or view(request, *args, **kwargs)

    return wrapper
