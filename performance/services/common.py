"""Shared helpers and appraisal periods (opened and closed by HR per region)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asnportal.org.models import Employee, Region

from ..models import Period

QUARTER_BOUNDS = {
    "tw1": ((1, 1), (3, 31)),
    "tw2": ((4, 1), (6, 30)),
    "tw3": ((7, 1), (9, 30)),
    "tw4": ((10, 1), (12, 31)),
}


def _fmt(value: Decimal) -> str:
    return format(Decimal(value).normalize(), "f")


def local_today(employee: Employee) -> dt.date:
    """Today in the employee's region (a log's date is the employee's local date, DESIGN.md §4 Time)."""
    return timezone.now().astimezone(employee.region.tzinfo).date()


# --- periods ---------------------------------------------------------------------------------------


@transaction.atomic
def period_open(
    *,
    user,
    region: Region,
    year: int,
    kind: str,
    above_from: Decimal,
    meets_from: Decimal,
    org_rating: str,
) -> Period:
    """HR opens a Triwulan of a region with its thresholds, which staff see from then on (§4 SKP)."""
    (sm, sd), (em, ed) = QUARTER_BOUNDS[kind]
    period = Period(
        region=region,
        year=year,
        kind=kind,
        start=dt.date(year, sm, sd),
        end=dt.date(year, em, ed),
        above_from=above_from,
        meets_from=meets_from,
        org_rating=org_rating,
        opened_by=user,
    )
    if Period.objects.filter(region=region, year=year, kind=kind).exists():
        raise ValidationError(_("This period has already been opened for the region."))
    period.full_clean()
    period.save()
    return period


def period_close(*, period: Period) -> Period:
    """HR closes a period: its logs and appraisals are locked from now on (§4 SKP)."""
    changed = Period.objects.filter(pk=period.pk, status=Period.Status.OPEN).update(
        status=Period.Status.CLOSED, closed_at=timezone.now()
    )
    if not changed:
        raise ValidationError(_("This period is already closed."))
    period.refresh_from_db()
    return period


def period_for_date(*, region_id: int, date: dt.date) -> Period | None:
    return Period.objects.filter(region_id=region_id, start__lte=date, end__gte=date).first()
