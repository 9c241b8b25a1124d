"""Reads of the accounts core: the second factor's state and who may reset whose device."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django_otp.plugins.otp_totp.models import TOTPDevice

from asnportal.org.models import Employee

from .access import require_role, role_regions
from .codes import link_token_hash
from .models import EnrollmentLink, RecoveryCode, Role, RoleAssignment, User


def users_resettable_by(officer) -> QuerySet[User]:
    """Whose second factor the officer may reset (DESIGN.md §3, decided for issue 16):
    a system admin anyone's; an HR officer that of a user who belongs wholly to the officer's
    regions (every role they hold and their employee record are there), never an admin's, never
    their own. Anyone else nobody's."""
    if officer.is_superuser:
        return User.objects.all()
    regions = list(role_regions(officer, Role.HR_OFFICER))
    if not regions:
        return User.objects.none()
    role_elsewhere = RoleAssignment.objects.filter(user=OuterRef("pk")).exclude(region__in=regions)
    employee_elsewhere = Employee.objects.filter(user=OuterRef("pk")).exclude(region__in=regions)
    tied_here = Q(Exists(RoleAssignment.objects.filter(user=OuterRef("pk"), region__in=regions))) | Q(
        Exists(Employee.objects.filter(user=OuterRef("pk"), region__in=regions))
    )
    return (
        User.objects.filter(tied_here, is_staff=False, is_superuser=False)
        .exclude(pk=officer.pk)
        .exclude(Exists(role_elsewhere))
        .exclude(Exists(employee_elsewhere))
    )


def user_for_device_reset(user, pk: int) -> User:
    """The account whose second factor the user may reset (users_resettable_by): a system admin any;
    an HR officer one of their region (404 outside it); anyone else 403."""
    if not user.is_superuser:
        require_role(user, Role.HR_OFFICER)
    return get_object_or_404(users_resettable_by(user), pk=pk)


def second_factor_users(officer) -> QuerySet[User]:
    """The officer's resettable users who have a device or a reset waiting, for the reset list."""
    has_device = Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    pending = Exists(EnrollmentLink.objects.filter(user=OuterRef("pk"), used_at__isnull=True))
    return (
        users_resettable_by(officer)
        .annotate(has_device=has_device, reset_pending=pending)
        .filter(Q(has_device=True) | Q(reset_pending=True))
        .order_by("username")
    )


def enrollment_link_for(user, token: str) -> EnrollmentLink | None:
    """The user's usable enrollment link with this token, or None (unknown, another's, used, expired)."""
    link = EnrollmentLink.objects.filter(token_hash=link_token_hash(token), user_id=user.pk).first()
    return link if link is not None and link.usable() else None


def second_factor_status(user) -> dict:
    """What the account page shows: a linked app, and how many recovery codes are left."""
    return {
        "has_device": TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists(),
        "recovery_left": RecoveryCode.objects.filter(device__user_id=user.pk, used_at__isnull=True).count(),
    }
