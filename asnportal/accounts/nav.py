"""Navigation registry: each app registers its menu entries and role home pages in AppConfig.ready().

The core never imports a domain app; domain apps register themselves here. Role keys are the
values of Role plus the derived keys 'staff' and 'supervisor'.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

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


# The menu's areas, by the URL namespace of their entries (the strings only: the core imports no app).
AREAS = {
    "org": _("Workforce"),
    "planning": _("Workforce"),
    "recruitment": _("Recruitment"),
    "training": _("Training"),
    "performance": _("Performance"),
    "feedback": _("Public services"),
    "reports": _("Reports"),
    "regulations": _("Reports"),  # the rules the reports and computations apply
}
# A menu of at most this many entries stays flat (staff, citizens); a longer one is grouped.
FLAT_MENU = 6


def nav_groups(items: list[dict]) -> list[dict]:
    """The menu grouped by area, in the order of each area's first entry: [{label, items, active}].
    An area with one entry is shown as that entry (items of one); a short menu is not grouped at all."""
    if len(items) <= FLAT_MENU:
        return [{"label": item["label"], "items": [item], "active": item.get("active")} for item in items]
    groups: dict[str, dict] = {}
    for item in items:
        area = AREAS.get(item["name"].split(":")[0])
        key = str(area) if area is not None else item["name"]
        group = groups.setdefault(key, {"label": key, "items": [], "active": False})
        group["items"].append(item)
        group["active"] = group["active"] or bool(item.get("active"))
    for group in groups.values():
        if len(group["items"]) == 1:
            group["label"] = group["items"][0]["label"]
    return list(groups.values())


def home_url_name_for(user) -> str | None:
    keys = role_keys(user)
    for role in HOME_PRIORITY:
        if role in keys and role in _homes:
            return _homes[role][1]
    return None
