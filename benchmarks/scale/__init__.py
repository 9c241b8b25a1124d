"""Generators of a national-size dataset, inside PostgreSQL (INSERT ... SELECT generate_series).

Rows are built by the database itself: far faster than building them in Python. Each generator
returns the number of rows it inserted. Used by `manage.py seed_scale` and the benchmark. One module
per domain, each with its generator and the deletes of its tables.
"""

from . import feedback, org, performance, recruitment, training
from .common import SCALE_REGION, ScaleContext, execute
from .floors import JOB_FLOOR_SQL, JOB_FLOORS, region_report_floor

# Each domain contributes a generator; they run in this order after the organisation core.
GENERATORS = [
    ("org", org.org_generate),
    ("training", training.training_generate),
    ("feedback", feedback.feedback_generate),
    ("recruitment", recruitment.recruitment_generate),
    ("performance", performance.performance_generate),
]

# Deletes of an earlier scale dataset, most dependent tables first.
RESETTERS = (
    performance.RESET_SQL + recruitment.RESET_SQL + feedback.RESET_SQL + training.RESET_SQL + org.RESET_SQL
)

__all__ = [
    "GENERATORS",
    "JOB_FLOORS",
    "JOB_FLOOR_SQL",
    "RESETTERS",
    "SCALE_REGION",
    "ScaleContext",
    "execute",
    "region_report_floor",
]
