"""Reads for recruitment pages. The CASN ranking rule of DESIGN.md §4: `ranking_rows` (one statement)
over the pure rules of recruitment.rules.

Split by sub-domain; import from here: `from recruitment import selectors`.
"""

from .people import (  # noqa: F401
    applicant_profile_of,
    applications_of_user,
    conflicts_of,
    documents_of,
    is_assigned,
    objections_of,
    observations_of,
    observer_assigned,
    observer_selections,
    open_objection_count,
    panel_assigned,
    panel_queue,
    panel_selections,
    screening_page,
    signoffs_of,
)
from .ranking import RANKING_PARAMS, RANKING_SQL, RankRow, ranking_page, ranking_rows  # noqa: F401
from .rule_versions import (  # noqa: F401
    rubric_of,
    rules_in_force,
    rules_used,
    rules_version,
    skb_score_recompute,
    skb_version_of,
    skd_in_force,
    skd_version_of,
)
from .selections import (  # noqa: F401
    announcements_of,
    applications_of,
    formation_public,
    formations_of,
    proposals_ready,
    ranking_version,
    schedule_of,
    selection_public_detail,
    selections_for_regions,
    selections_public,
    stage_locked,
    stage_score_model,
    stage_status,
)
from .summary import recruitment_summary  # noqa: F401
