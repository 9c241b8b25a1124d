"""Demo: each region's reports for the last two complete months and quarters before the day it runs,
and for the current month and quarter so far, so dashboards are filled and show what the demo's
recruitment, which opens its selections on the day it runs, has brought in (issue 21)."""

from asnportal.org.demo import demo_today
from asnportal.org.models import Region

from .periods import period_bounds, period_last_complete, period_previous
from .services import snapshot_compute


def seed(*, rng) -> list:
    today = demo_today()
    for region in Region.objects.order_by("pk"):  # the initial three and the demo's Kota Bengkulu
        for kind in ("monthly", "quarterly"):
            last = period_last_complete(kind, today)
            current = period_bounds(kind, today)[0]
            for start in (period_previous(kind, last), last, current):
                snapshot_compute(region_id=region.pk, kind=kind, period_start=start)
    return []
