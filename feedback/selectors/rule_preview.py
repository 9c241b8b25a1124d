"""Effects of a proposed version of the IKM categories (asnportal.regulations' preview, registered in
apps.py)."""

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .. import rules
from .ikm import _responses, ikm_grouped, ikm_rule


def rule_preview_ikm_categories(*, parameters: dict, region_ids: list[int]) -> list[str]:
    """Service units whose IKM of this year so far would change category (one aggregate query, and
    one read of the rule per region)."""
    today = timezone.localdate()
    responses = _responses(dt.date(today.year, 1, 1), today).filter(service_unit__region_id__in=region_ids)
    new = rules.categories_from_parameters(parameters)
    current = {
        rid: rules.categories_from_parameters(ikm_rule(region_id=rid, on=today).parameters)
        for rid in region_ids
    }
    lines = []
    grouped = ikm_grouped(responses, "service_unit__region_id", "service_unit__name")
    for key, result in grouped:
        before = rules.ikm_category(result.ikm, current[key["service_unit__region_id"]])
        after = rules.ikm_category(result.ikm, new)
        if before != after:
            lines.append(
                _("IKM of %(unit)s (%(ikm)s) changes category %(before)s → %(after)s")
                % {
                    "unit": key["service_unit__name"],
                    "ikm": formats.number_format(result.ikm, 2),
                    "before": before,
                    "after": after,
                }
            )
    return lines
