"""Reads of the rule versions: the one in force on a date for a region, the ledger of each kind."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from asnportal.org.models import Region

from .models import RuleKind, RuleVersion
from .schemas import OFFICIAL

# The date of the seeded version 1 (migration 0002).
FIRST_IN_FORCE = dt.date(2022, 1, 1)


def version_in_force(*, kind: str, region_id: int | None | QuerySet, on: dt.date) -> RuleVersion:
    """The version of `kind` in force on day `on` for a region (one query): the region's own latest
    version in force, else the national one. Versions are only ever added with a date from today, so
    what was in force on a past day never changes. `region_id` may be a one-value queryset (the region
    of a unit, say), read in the same query."""
    own = Q(region_id__in=region_id) if isinstance(region_id, QuerySet) else Q(region_id=region_id)
    found = (
        RuleVersion.objects.filter(kind=kind, effective_from__lte=on)
        .filter(Q(region__isnull=True) | own)
        .order_by(F("region_id").asc(nulls_last=True), "-effective_from", "-number")
        .first()
    )
    return found or official_version(kind)


def official_version(kind: str) -> RuleVersion:
    """Version 1 as the seed migration writes it (unsaved): what stands in before the first version's
    date, or in a database emptied by a test's flush."""
    return RuleVersion(kind=kind, number=1, effective_from=FIRST_IN_FORCE, parameters=OFFICIAL[kind])


class Timeline:
    """Every version of a kind that applies to one region (its own and the national ones), read in
    one query, answering "the version in force on day D" in Python for many days (a trend's quarters)."""

    def __init__(self, *, kind: str, region_id: int | None):
        self.kind = kind
        rows = RuleVersion.objects.filter(kind=kind).filter(Q(region__isnull=True) | Q(region_id=region_id))
        self.versions = sorted(rows, key=lambda v: (v.effective_from, v.number))

    def on(self, day: dt.date) -> RuleVersion:
        for scope in ("region", "national"):
            found = [
                v
                for v in self.versions
                if v.effective_from <= day and (v.region_id is None) == (scope == "national")
            ]
            if found:
                return found[-1]
        return official_version(self.kind)


def today() -> dt.date:
    return timezone.localdate()


def all_region_ids() -> frozenset[int]:
    return frozenset(Region.objects.values_list("pk", flat=True))


def region_names(region_ids: Iterable[int]) -> list[tuple[int, str]]:
    return list(Region.objects.filter(pk__in=list(region_ids)).order_by("name").values_list("pk", "name"))


def version_by_id(version_id: int | None) -> RuleVersion | None:
    return RuleVersion.objects.filter(pk=version_id).first() if version_id else None


def ledger(*, region_ids: Iterable[int]) -> dict[str, list[RuleVersion]]:
    """Every version of each kind, national and of the given regions, newest first (one query)."""
    rows = (
        RuleVersion.objects.filter(Q(region__isnull=True) | Q(region_id__in=list(region_ids)))
        .select_related("region", "author")
        .order_by("kind", F("region_id").asc(nulls_first=True), "-number")
    )
    out: dict[str, list[RuleVersion]] = {k: [] for k in RuleKind.values}
    for row in rows:
        out[row.kind].append(row)
    return out


def chain_of(*, kind: str, region_id: int | None) -> QuerySet[RuleVersion]:
    scope = Q(region__isnull=True) if region_id is None else Q(region_id=region_id)
    return RuleVersion.objects.filter(scope, kind=kind).order_by("number")


def chain_is_intact(*, kind: str, region_id: int | None) -> bool:
    """Each version's hash is that of its content, and links to the previous one of its chain."""
    previous = ""
    for version in chain_of(kind=kind, region_id=region_id):
        if version.previous_hash != previous or version.content_hash() != version.hash:
            return False
        previous = version.hash
    return True
