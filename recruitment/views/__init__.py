"""The recruitment pages, split by who uses them: public, applicants, hr, observers, panel.

urls.py points at the modules; the names stay importable from here.
"""

from . import applicants, hr, observers, panel, public  # noqa: F401
from .applicants import (  # noqa: F401
    applicant_dashboard,
    applicant_profile,
    apply,
    document_file,
    document_upload,
    objection_file,
)
from .hr import (  # noqa: F401
    MAX_SHOWN_ERRORS,
    announcement_create,
    formation_add,
    hr_selection,
    hr_selections,
    objection_answer,
    screen,
    selection_create,
    selection_from_proposal,
    skd_correct,
    skd_import,
)
from .observers import observation_create, observer_home, observer_selection, signoff  # noqa: F401
from .panel import conflict_declare, panel_queue, skb_score  # noqa: F401
from .public import export, ledger_verify, public_ranking, public_selection, public_selections, register  # noqa: F401
