"""Navigation registry: each app registers its menu entries and role home pages in AppConfig.ready().

The core never imports a domain app; domain apps register themselves here. Role keys are the
values of Role plus the derived keys 'staff' and 'supervisor'.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.translation import get_language

from .access import role_keys

# The order in which a user with several roles finds their home page.
HOME_PRIORITY = ["hr", "head", "observer", "panel", "supervisor", "staff", "applicant"]


@dataclass(frozen=True)
class NavItem:
    label: str  # a lazy translation
    url_name: str
    roles: frozenset[str]
    order: int = 100


_items: list[NavItem] = []
_homes: dict[str, tuple[int, str]] = {}


def nav_register(*, label, url_name: str, roles: set[str] | frozenset[str], order: int = 100) -> None:
    item = NavItem(label=label, url_name=url_name, roles=frozenset(roles), order=order)
    if item not in _items:
        _items.append(item)


def home_register(*, role: str, url_name: str, weight: int = 0) -> None:
    """The landing page of a role; the heaviest registration for a role wins."""
    current = _homes.get(role)
    if current is None or weight >= current[0]:
        _homes[role] = (weight, url_name)


def nav_items_for(user) -> list[dict]:
    menu = _menu(frozenset(role_keys(user)), get_language(), get_script_prefix(), len(_items))
    return [dict(item) for item in menu]


@lru_cache(maxsize=256)
def _menu(keys: frozenset[str], language: str | None, script_prefix: str, registered: int) -> tuple:
    """The menu of a set of roles, reversed and translated once per process and language.

    A pure function of the registry (filled at start-up, `registered` keys a late registration) and
    the URLconf, so every process computes the same thing: nothing here is shared request state.
    """
    items = []
    for item in sorted(_items, key=lambda i: (i.order, str(i.label))):
        if item.roles & keys:
            try:
                items.append({"label": str(item.label), "url": reverse(item.url_name), "name": item.url_name})
            except NoReverseMatch:
                continue
    return tuple(items)


def home_url_name_for(user) -> str | None:
    keys = role_keys(user)
    for role in HOME_PRIORITY:
        if role in keys and role in _homes:
            return _homes[role][1]
    return None
