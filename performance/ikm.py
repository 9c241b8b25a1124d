"""KPI realisation read from the public feedback app (IKM), through its selectors only."""

import datetime as dt
from decimal import Decimal


def _feedback_selectors():
    try:
        from feedback import selectors as feedback_selectors
    except ImportError:  # the feedback app does not expose selectors yet
        return None
    return feedback_selectors


def ikm_for_unit(*, unit_id: int, start: dt.date, end: dt.date) -> dict | None:
    """{"ikm": Decimal, "category": str, "respondents": int} of the unit, or None without data."""
    module = _feedback_selectors()
    reader = getattr(module, "ikm_for_unit", None) if module is not None else None
    if reader is None:
        return None
    result = reader(unit_id=unit_id, start=start, end=end)
    if not result:
        return None
    return {**result, "ikm": Decimal(str(result["ikm"]))}
