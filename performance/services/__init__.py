"""Every write of the performance app (SKP, logs, review, appraisal, talent); DESIGN.md §4.

Split by sub-domain; import from here: `from performance import services`.
"""

from .appraisal import (  # noqa: F401
    appraisal_compute,
    appraisal_correct,
    appraisal_rate,
    potential_record,
)
from .common import (  # noqa: F401
    local_today,
    period_close,
    period_for_date,
    period_open,
)
from .logs import (  # noqa: F401
    feedback_reply,
    log_create,
    log_resubmit,
    log_review,
    previous_working_days,
    reminders_send,
)
from .plans import (  # noqa: F401
    indicator_add,
    indicator_remove,
    plan_agree,
    plan_get_or_create,
    plan_return,
    plan_revise,
    plan_submit,
    plan_weight_total,
    result_add,
)
