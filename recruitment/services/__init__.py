"""Every write of the recruitment app: keyword-only, transactional, each appended to the ledger.

Split by sub-domain; import from here: `from recruitment import services`. The §4 rules the writes
apply (SKD maxima, the SKB rubric) live in recruitment.rules.
"""

from ..rules import rubric_score, skd_validate  # noqa: F401
from .applicants import (  # noqa: F401
    applicant_document_upload,
    applicant_profile_save,
    applicant_profile_update,
    applicant_register,
    application_submit,
    document_upload,
)
from .common import (  # noqa: F401
    ALLOWED_UPLOADS,
    applicant_actor,
    status_emails_queue,
    upload_check,
)
from .oversight import (  # noqa: F401
    objection_answer,
    objection_file,
    observation_record,
    stage_sheet,
    stage_signoff,
)
from .scores import (  # noqa: F401
    conflict_declare,
    screening_decide,
    skb_score_record,
    skd_correct,
    skd_import,
    skd_results_apply,
)
from .selections import (  # noqa: F401
    announcement_publish,
    formation_add,
    selection_create,
    selection_from_proposal,
)
