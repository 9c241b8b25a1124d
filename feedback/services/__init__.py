"""Every write of the feedback app: keyword-only, typed, transactional (DESIGN.md §4 SKM/IKM).

Split by sub-domain; import from here: `from feedback import services`.
"""

from .citizen_input import (  # noqa: F401
    INPUT_MIN_LENGTH,
    citizen_input_answer,
    citizen_input_hide,
    citizen_input_publish,
    citizen_input_submit,
)
from .common import (  # noqa: F401
    CODE_RE,
    CONTROL_RE,
    TAG_RE,
    TOKEN_ALPHABET,
    TOKEN_LENGTH,
    TRACKING_LENGTH,
    clean_text,
    code_is_plausible,
    quarter_of,
    token_display,
    token_normalize,
)
from .setup import (  # noqa: F401
    TOKEN_BATCH_MAX,
    extra_question_add,
    extra_question_toggle,
    population_set,
    service_add,
    service_unit_create,
    service_unit_update,
    token_batch_create,
)
from .survey import AlreadyReceived, survey_submit  # noqa: F401
