"""Reporting periods: months and quarters, by their first day."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from asnportal.ui import formatting

from .models import PeriodKind


def period_bounds(kind: str, start: dt.date) -> tuple[dt.date, dt.date]:
    """Normalise a date to its period and return (first day, last day)."""
    if kind == PeriodKind.MONTHLY:
        first = start.replace(day=1)
        months = 1
    elif kind == PeriodKind.QUARTERLY:
        first = dt.date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
        months = 3
    else:
        raise ValidationError(_("Unknown period type."))
    year, month = divmod(first.month - 1 + months, 12)
    return first, dt.date(first.year + year, month + 1, 1) - dt.timedelta(days=1)


def period_previous(kind: str, start: dt.date) -> dt.date:
    first, _last = period_bounds(kind, start)
    return period_bounds(kind, first - dt.timedelta(days=1))[0]


def period_last_complete(kind: str, today: dt.date) -> dt.date:
    """The most recent period that has ended by `today` (what the scheduled job computes)."""
    current, _last = period_bounds(kind, today)
    return period_previous(kind, current)


QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_label(kind: str, start: dt.date) -> str:
    """ "November 2026" or "Triwulan IV 2026" in the active language."""
    if kind == PeriodKind.MONTHLY:
        return formatting.month(start)
    return _("Quarter %(quarter)s %(year)s") % {
        "quarter": QUARTERS[(start.month - 1) // 3 + 1],
        "year": start.year,
    }
