"""Who must use a second factor, and the officers' idle timeout."""

from .access import roles_of
from .models import Role

# Roles that read personal data in bulk or write scores: they log in with a second factor.
SECOND_FACTOR_ROLES = frozenset({Role.HR_OFFICER, Role.OBSERVER, Role.PANEL_MEMBER})


def needs_second_factor(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or user.is_superuser or bool(SECOND_FACTOR_ROLES & set(roles_of(user)))
