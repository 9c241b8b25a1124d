"""Reads of the performance app: the joins and aggregates each page needs, and the API for other apps.

Split by sub-domain; import from here: `from performance import selectors`.
"""

from .appraisals import (  # noqa: F401
    appraisals_of,
    curve_version,
    distribution,
    period_appraisals,
    recognition,
    units_of_region,
)
from .logs import (  # noqa: F401
    employee_logs,
    kpi_progress,
    log_thread,
    loggable_indicators,
    reminded_on,
    review_queue,
    staff_home,
    team_members,
    with_percent,
)
from .plans import open_periods, plan_of, plan_page, plan_results, plan_weight_total, supervisor_plan  # noqa: F401
from .rule_preview import rule_preview_curve, rule_preview_work_rating  # noqa: F401
from .summary import performance_summary  # noqa: F401
from .talent import (  # noqa: F401
    box_counts,
    low_rated_competencies,
    succession_slate,
    talent_pool,
    talent_rows,
)
