"""The recruitment pages, split by who uses them: public, applicants, hr, observers, panel.

urls.py points at the modules; the names stay importable from here. RANKING_PAGE_SIZE is read here
at request time (`public_ranking` below), so a caller that sets it on this package changes the page.
"""

from django.http import HttpRequest, HttpResponse

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
from .public import export, ledger_verify, public_selection, public_selections, register  # noqa: F401

RANKING_PAGE_SIZE = public.RANKING_PAGE_SIZE


def public_ranking(request: HttpRequest, pk: int, formation_pk: int) -> HttpResponse:
    """A formation's public ranking (views.public.public_ranking) at this package's page size."""
    return public.public_ranking(request, pk, formation_pk, page_size=RANKING_PAGE_SIZE)
