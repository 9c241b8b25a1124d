"""Quarters: the periods of the public results, and the quarters a date range covers."""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Quarter:
    year: int
    quarter: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * (self.quarter - 1) + 1, 1)

    @property
    def end(self) -> dt.date:
        nxt = self.next()
        return nxt.start - dt.timedelta(days=1)

    def next(self) -> "Quarter":
        return Quarter(self.year + self.quarter // 4, self.quarter % 4 + 1)

    def previous(self) -> "Quarter":
        return Quarter(self.year - (self.quarter == 1), (self.quarter - 2) % 4 + 1)

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    def __str__(self) -> str:
        return f"TW {self.quarter} {self.year}"

    @classmethod
    def of(cls, day: dt.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, raw: str | None, default: "Quarter") -> "Quarter":
        try:
            year, q = (raw or "").upper().split("-Q")
            parsed = cls(int(year), int(q))
        except ValueError:
            return default
        return parsed if 1 <= parsed.quarter <= 4 and 2000 <= parsed.year <= 2100 else default


def quarters_between(start: dt.date, end: dt.date) -> list[Quarter]:
    """Quarters whose first day falls in [start, end] (the populations counted for that period)."""
    out, q = [], Quarter.of(start)
    if q.start < start:
        q = q.next()
    while q.start <= end:
        out.append(q)
        q = q.next()
    return out
