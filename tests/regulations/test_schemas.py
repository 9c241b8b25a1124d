"""Each rule kind's parameters: today's official values pass, bad values are refused with a message."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from asnportal.regulations.models import RuleKind
from asnportal.regulations.schemas import OFFICIAL, parameters_clean
from feedback import rules as feedback_rules
from performance import rules as performance_rules


@pytest.mark.parametrize("kind", RuleKind.values)
def test_official_values_are_valid_and_normalised_unchanged(kind):
    assert parameters_clean(kind, OFFICIAL[kind]) == OFFICIAL[kind]


def test_the_apps_defaults_are_version_1():
    assert performance_rules.curve_from_parameters(OFFICIAL[RuleKind.CURVE]) == performance_rules.CURVES
    assert feedback_rules.categories_from_parameters(OFFICIAL[RuleKind.IKM_CATEGORIES]) == (
        feedback_rules.CATEGORIES
    )


BAD = [
    (RuleKind.WORK_RATING, {"above_from": "0.90", "meets_from": "0.90"}, "harus lebih tinggi"),
    (RuleKind.WORK_RATING, {"above_from": "x", "meets_from": "0.90"}, "harus berupa angka"),
    (RuleKind.WORK_RATING, {"above_from": "1.10"}, "harus menyebut tepat"),
    (RuleKind.IKM_CATEGORIES, {"A": "76.00", "B": "76.61", "C": "65.00", "D": "25.00"}, "harus turun"),
    (RuleKind.IKM_CATEGORIES, {"A": "88.31", "B": "76.61", "C": "65.00", "D": "30.00"}, "25,00"),
    (RuleKind.SKD, {"twk_min": 151, "tiu_min": 80, "tkp_min": 166, "w_skd": "0.4", "w_skb": "0.6"}, "antara"),
    (
        RuleKind.SKD,
        {"twk_min": 65, "tiu_min": 80, "tkp_min": 166, "w_skd": "0.5", "w_skb": "0.6"},
        "berjumlah 1",
    ),
    (RuleKind.SKB_RUBRIC, {"items": [{"key": "a", "label": "A", "weight": 40}]}, "berjumlah 100"),
    (
        RuleKind.CURVE,
        {**OFFICIAL[RuleKind.CURVE], "baik": [{"code": "x", "kind": "most", "predikats": ["baik"]}]},
        "max, min",
    ),
    (
        RuleKind.CURVE,
        {**OFFICIAL[RuleKind.CURVE], "baik": [{"code": "x", "kind": "max", "predikats": ["hebat"]}]},
        "predikat",
    ),
    (
        RuleKind.CURVE,
        {
            **OFFICIAL[RuleKind.CURVE],
            "baik": [{"code": "x", "kind": "max", "predikats": ["baik"], "share": "1.5"}],
        },
        "antara",
    ),
]


@pytest.mark.parametrize(("kind", "raw", "words"), BAD)
def test_bad_parameters_are_refused_in_indonesian(kind, raw, words):
    with translation.override("id"), pytest.raises(ValidationError) as exc:
        parameters_clean(kind, raw)
    assert words in " ".join(exc.value.messages)
