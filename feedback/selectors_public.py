"""Reads of the public survey index (/survei/): every region with its service units, so a citizen
reaches a unit's survey form in one click from the list (issue 21), narrowed by a search."""

from django.db.models import Prefetch, Q

from asnportal.org.models import Region

from .models import ServiceUnit


def public_index_regions(*, search: str = "") -> list[Region]:
    """Regions (by name) with their active service units in `region.listed` (by name); with a search,
    only the units whose name, parent unit or region matches it, and only regions with a match.
    Two queries whatever the number of units."""
    units = ServiceUnit.objects.filter(is_active=True).select_related("unit").order_by("name")
    text = search.strip()[:100]
    if text:
        units = units.filter(
            Q(name__icontains=text) | Q(unit__name__icontains=text) | Q(region__name__icontains=text)
        )
    regions = Region.objects.order_by("name").prefetch_related(Prefetch("service_units", units, "listed"))
    if text:
        regions = regions.filter(pk__in=units.values("region_id"))
    return list(regions)
