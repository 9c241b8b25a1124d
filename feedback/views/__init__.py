"""The feedback pages, split by audience; `feedback/urls.py` reaches them as `views.<name>`."""

from .citizen_input import (  # noqa: F401
    input_moderate,
    moderation,
)
from .downloads import (  # noqa: F401
    answers_xlsx,
    poster,
    qr,
    report_pdf,
    token_batch_pdf,
)
from .public import (  # noqa: F401
    input_create,
    public_index,
    public_region,
    survey,
    survey_kiosk,
    survey_kiosk_sync,
    survey_thanks,
    track,
    track_detail,
)
from .setup import (  # noqa: F401
    manage,
    population_set,
    question_add,
    question_toggle,
    service_add,
    token_batch_create,
    unit_create,
    unit_detail,
    unit_edit,
)
