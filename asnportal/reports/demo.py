"""Demo: each region's reports for the last two complete months and quarters before the day it runs,
so dashboards are filled."""

from asnportal.org.demo import demo_today
from asnportal.org.models import Region

from .periods import period_last_complete, period_previous
from .scale import SCALE_REGION
from .services import snapshot_compute


def seed(*, rng) -> list:
    today = demo_today()
    for region in Region.objects.exclude(code=SCALE_REGION).order_by("pk"):
        for kind in ("monthly", "quarterly"):
            last = period_last_complete(kind, today)
            for start in (period_previous(kind, last), last):
                snapshot_compute(region_id=region.pk, kind=kind, period_start=start)
    return []
