"""Every write of the training app (DESIGN.md §4 training, §5 reliable): keyword-only, typed,
transactional. The rules they apply are in training.rules.

Split by sub-domain; import from here: `from training import services`.
"""

from .allocation import (  # noqa: F401
    allocations_due_enqueue,
    session_allocate,
    sessions_due_for_allocation,
)
from .catalog import (  # noqa: F401
    Eligibility,
    eligibility_check,
    eligibility_describe,
    material_add,
    programme_save,
    session_save,
)
from .common import (  # noqa: F401
    ALLOCATE_TASK,
    NOTIFY_TASK,
    _notify_on_commit,
)
from .completion import (  # noqa: F401
    attendance_record,
    certificate_code_new,
    feedback_submit,
    session_complete,
)
from .enrollment import (  # noqa: F401
    enrollment_admit,
    enrollment_cancel,
    enrollment_request,
    waitlist_promote,
)
from .notices import (  # noqa: F401
    NOTICE_TEXT,
    notice_send,
    reminders_due,
    reminders_enqueue,
)
