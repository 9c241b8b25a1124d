"""The tests' one clock: "today" is the day the suite runs, or ASN_TEST_TODAY (YYYY-MM-DD) when set.

`ASN_TEST_TODAY=2028-02-29 make test` runs the whole suite as if it were that day. Every test starts
at 10:00 WIB of TODAY with the clock ticking (the autouse fixture in tests/conftest.py), so a date
built from TODAY here, at import time, is the same "today" that the code under test sees.
A test about one calendar date (a leap day, a quarter's last evening) travels there itself.
"""

import datetime as dt
import os
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")


def _today() -> dt.date:
    raw = os.environ.get("ASN_TEST_TODAY", "").strip()
    if not raw:
        return dt.datetime.now(WIB).date()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise SystemExit(f"ASN_TEST_TODAY must be a date as YYYY-MM-DD, not {raw!r}") from exc


TODAY: dt.date = _today()
# 10:00 in Bengkulu and Bungo, 12:00 in Sorong: the same local date in every region.
NOW: dt.datetime = dt.datetime.combine(TODAY, dt.time(10, 0), tzinfo=WIB)


def days(n: int) -> dt.date:
    """TODAY moved by n days (negative: in the past)."""
    return TODAY + dt.timedelta(days=n)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A moment on `day` at hour:minute WIB."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=WIB)


def quarter_start(day: dt.date = TODAY) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
