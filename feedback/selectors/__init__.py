"""Reads of the feedback app. IKM figures come from SQL aggregates (one GROUP BY query per table);
Python only applies the §4 formulas (feedback.rules) to the aggregated sums.

Split by sub-domain; import from here: `from feedback import selectors`.
"""

from .ikm import (  # noqa: F401
    FOUR_PLACES,
    IkmResult,
    _responses,
    ikm_by_service,
    ikm_for_service_unit,
    ikm_for_unit,
    ikm_grouped,
    ikm_rule,
    ikm_total,
    population_for,
    respondent_profile,
)
from .moderation import input_for_moderation, service_units_for_regions  # noqa: F401
from .periods import Quarter, quarters_between  # noqa: F401
from .results import (  # noqa: F401
    ikm_rules_changed,
    region_responses_changed,
    region_results,
    region_results_cached,
    region_results_changed,
    region_results_generation,
)
from .rule_preview import rule_preview_ikm_categories  # noqa: F401
from .summary import feedback_summary  # noqa: F401
