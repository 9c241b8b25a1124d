"""The rule versions a selection uses (asnportal.regulations): the SKD version its pass marks and
weights started from and the SKB rubric its panel scores with, both recorded when it was opened."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from asnportal.regulations import selectors as regulations
from asnportal.regulations.models import RuleKind, RuleVersion

from .. import rules
from ..models import Selection, SkbScore


def rules_in_force(*, region_id: int, on: dt.date) -> dict[str, RuleVersion]:
    """The SKD and SKB rubric versions in force in a region on a day (two queries)."""
    return {
        "skd": regulations.version_in_force(kind=RuleKind.SKD, region_id=region_id, on=on),
        "skb": regulations.version_in_force(kind=RuleKind.SKB_RUBRIC, region_id=region_id, on=on),
    }


def skd_defaults(version: RuleVersion) -> dict:
    """A selection's pass marks and weights as an SKD version gives them (its field names)."""
    return {k: Decimal(v) if k.startswith("w_") else v for k, v in version.parameters.items()}


def skd_in_force(*, region_id: int | None) -> dict:
    """The pass marks and weights of the SKD version in force today in a region (one query)."""
    version = regulations.version_in_force(kind=RuleKind.SKD, region_id=region_id, on=timezone.localdate())
    return skd_defaults(version)


def _or_official(version: RuleVersion | None, kind: str) -> RuleVersion:
    return version if version is not None else regulations.official_version(kind)


def skd_version_of(selection: Selection) -> RuleVersion:
    return _or_official(selection.skd_rule, RuleKind.SKD)


def skb_version_of(selection: Selection) -> RuleVersion:
    return _or_official(selection.skb_rule, RuleKind.SKB_RUBRIC)


def rubric_of(selection: Selection) -> tuple:
    """The SKB rubric (items, weights, maxima) the selection's panel scores with."""
    return rules.rubric_from_parameters(skb_version_of(selection).parameters)


def skb_score_recompute(score: SkbScore) -> Decimal:
    """A recorded SKB score computed again from its items under its own rubric version (no version:
    version 1): equal to the stored score whatever version is in force now."""
    version = _or_official(score.rule, RuleKind.SKB_RUBRIC)
    return rules.rubric_score(score.items, rubric=rules.rubric_from_parameters(version.parameters))


def rules_used(selection: Selection) -> dict:
    """What a ranking page shows of the rules it was computed with: both versions, and whether the
    selection's own pass marks or weights differ from its SKD version's (set when it was opened)."""
    skd, skb = skd_version_of(selection), skb_version_of(selection)
    own = {field: getattr(selection, field) for field in skd.parameters}
    return {
        "skd": skd,
        "skb": skb,
        "rubric": rules.rubric_from_parameters(skb.parameters),
        "skd_own_values": own != skd_defaults(skd),
    }


def rules_version(selection: Selection) -> tuple:
    """The part of a cached ranking's version that names its rules (their hashes)."""
    return (skd_version_of(selection).hash, skb_version_of(selection).hash)
