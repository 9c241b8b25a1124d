"""The typed shape of each rule kind's parameters, and today's official values (version 1).

`parameters_clean(kind, raw)` returns the normalised parameters or raises a ValidationError whose
message says, in the user's language, which value is wrong. Decimals are kept as strings so a stored
version reads back exactly.
"""

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import RuleKind

PREDIKATS = ("sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")
ORG_RATINGS = ("istimewa", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")
CLAUSE_KINDS = ("max", "min", "some")
IKM_CODES = ("A", "B", "C", "D")
# CAT maxima (§4): TWK 30 x 5, TIU 35 x 5, TKP 45 x 5.
SKD_MAXIMA = {"twk_min": 150, "tiu_min": 175, "tkp_min": 225}
RUBRIC_ITEM_KEYS = ("key", "label", "weight", "max")
RUBRIC_ITEM_MAX = 100  # an SKB rubric item's highest score when a version does not name one


def _clause(code: str, kind: str, predikats: tuple[str, ...], share: str = "0.00") -> dict:
    return {"code": code, "kind": kind, "predikats": list(predikats), "share": share}


# Today's official values: PermenPANRB 6/2022 and its annex, PermenPANRB 14/2017, KepmenPANRB
# 651/2023 and 321/2024 (DESIGN.md §4). The seed migration writes these as version 1 of each kind.
OFFICIAL: dict[str, dict] = {
    RuleKind.WORK_RATING: {"above_from": "1.10", "meets_from": "0.90"},
    RuleKind.CURVE: {
        "istimewa": [_clause("istimewa.sangat_baik_max", "max", ("sangat_baik",), "0.70")],
        "baik": [
            _clause("baik.baik_max", "max", ("baik",), "0.70"),
            _clause("baik.butuh_perbaikan_or_kurang", "some", ("butuh_perbaikan", "kurang")),
        ],
        "butuh_perbaikan": [
            _clause("butuh_perbaikan.butuh_perbaikan_min", "min", ("butuh_perbaikan",), "0.60"),
            _clause("butuh_perbaikan.sangat_baik_max", "max", ("sangat_baik",), "0.10"),
        ],
        "kurang": [
            _clause("kurang.kurang_min", "min", ("kurang",), "0.60"),
            _clause("kurang.butuh_perbaikan_min", "min", ("butuh_perbaikan",), "0.10"),
            _clause("kurang.sangat_baik_max", "max", ("sangat_baik",), "0.10"),
        ],
        "sangat_kurang": [
            _clause("sangat_kurang.sangat_kurang_min", "min", ("sangat_kurang",), "0.60"),
            _clause(
                "sangat_kurang.kurang_or_butuh_perbaikan_min", "min", ("kurang", "butuh_perbaikan"), "0.10"
            ),
            _clause("sangat_kurang.sangat_baik_none", "max", ("sangat_baik",), "0.00"),
        ],
    },
    RuleKind.IKM_CATEGORIES: {"A": "88.31", "B": "76.61", "C": "65.00", "D": "25.00"},
    RuleKind.SKD: {"twk_min": 65, "tiu_min": 80, "tkp_min": 166, "w_skd": "0.40", "w_skb": "0.60"},
    RuleKind.SKB_RUBRIC: {
        "items": [
            {"key": "technical", "label": "Kompetensi teknis", "weight": 40, "max": 100},
            {
                "key": "managerial",
                "label": "Kompetensi manajerial dan sosial kultural",
                "weight": 30,
                "max": 100,
            },
            {"key": "interview", "label": "Wawancara", "weight": 30, "max": 100},
        ]
    },
}


def _fail(message: str, **values) -> ValidationError:
    return ValidationError(message % values if values else message)


def _decimal(raw, name: str, *, low: Decimal, high: Decimal, places: int = 2) -> str:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise _fail(_("%(name)s must be a number."), name=name) from None
    if not value.is_finite() or value < low or value > high:
        raise _fail(_("%(name)s must be between %(low)s and %(high)s."), name=name, low=low, high=high)
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise _fail(_("%(name)s may have at most %(places)s decimals."), name=name, places=places)
    return str(value.quantize(Decimal(1).scaleb(-places)))


def _integer(raw, name: str, *, low: int, high: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | str) or not str(raw).strip().isdigit():
        raise _fail(_("%(name)s must be a whole number."), name=name)
    value = int(raw)
    if value < low or value > high:
        raise _fail(_("%(name)s must be between %(low)s and %(high)s."), name=name, low=low, high=high)
    return value


def _keys(raw, expected: set[str]) -> dict:
    if not isinstance(raw, dict):
        raise _fail(_("The parameters must be an object with named values."))
    if set(raw) != expected:
        raise _fail(_("The parameters must name exactly: %(keys)s."), keys=", ".join(sorted(expected)))
    return raw


def _work_rating(raw) -> dict:
    raw = _keys(raw, {"above_from", "meets_from"})
    above = _decimal(raw["above_from"], "above_from", low=Decimal("0.01"), high=Decimal("10"))
    meets = _decimal(raw["meets_from"], "meets_from", low=Decimal("0.01"), high=Decimal("10"))
    if Decimal(above) <= Decimal(meets):
        raise _fail(_("The 'above' threshold must be higher than the 'meets' one."))
    return {"above_from": above, "meets_from": meets}


def _curve_clause(raw, org: str) -> dict:
    if not isinstance(raw, dict) or set(raw) - {"code", "kind", "predikats", "share"}:
        raise _fail(_("Each clause of %(org)s needs code, kind, predikats and share."), org=org)
    code = str(raw.get("code", "")).strip()
    if not code or len(code) > 80:
        raise _fail(_("Each clause of %(org)s needs a code."), org=org)
    kind = raw.get("kind")
    if kind not in CLAUSE_KINDS:
        raise _fail(_("Clause %(code)s: the kind must be max, min or some."), code=code)
    predikats = raw.get("predikats")
    if not isinstance(predikats, list) or not predikats or any(p not in PREDIKATS for p in predikats):
        raise _fail(
            _("Clause %(code)s: unknown predikat; use %(known)s."), code=code, known=", ".join(PREDIKATS)
        )
    share = _decimal(raw.get("share", "0"), code, low=Decimal("0"), high=Decimal("1"))
    return {"code": code, "kind": kind, "predikats": list(dict.fromkeys(predikats)), "share": share}


def _curve(raw) -> dict:
    raw = _keys(raw, set(ORG_RATINGS))
    out = {}
    for org in ORG_RATINGS:
        clauses = raw[org]
        if not isinstance(clauses, list):
            raise _fail(_("The clauses of %(org)s must be a list."), org=org)
        out[org] = [_curve_clause(c, org) for c in clauses]
        codes = [c["code"] for c in out[org]]
        if len(codes) != len(set(codes)):
            raise _fail(_("The clause codes of %(org)s must be distinct."), org=org)
    return out


def _ikm_categories(raw) -> dict:
    raw = _keys(raw, set(IKM_CODES))
    bounds = {c: _decimal(raw[c], c, low=Decimal("25"), high=Decimal("100")) for c in IKM_CODES}
    if Decimal(bounds["D"]) != Decimal("25"):
        raise _fail(_("Category D starts at 25.00, the lowest IKM."))
    values = [Decimal(bounds[c]) for c in IKM_CODES]
    if any(high <= low for high, low in zip(values, values[1:], strict=False)):
        raise _fail(_("The lower bounds must fall from A to D (A highest)."))
    return bounds


def _skd(raw) -> dict:
    raw = _keys(raw, {"twk_min", "tiu_min", "tkp_min", "w_skd", "w_skb"})
    out: dict = {k: _integer(raw[k], k, low=0, high=top) for k, top in SKD_MAXIMA.items()}
    out["w_skd"] = _decimal(raw["w_skd"], "w_skd", low=Decimal("0"), high=Decimal("1"))
    out["w_skb"] = _decimal(raw["w_skb"], "w_skb", low=Decimal("0"), high=Decimal("1"))
    if Decimal(out["w_skd"]) + Decimal(out["w_skb"]) != 1:
        raise _fail(_("The SKD and SKB weights must add up to 1."))
    return out


def _rubric_item(item) -> dict:
    """One rubric item: key, label, weight (percent) and the highest score a panel member may give
    (max; 100 when not given, as version 1 was stored without it)."""
    if not isinstance(item, dict) or not {"key", "label", "weight"} <= set(item) <= set(RUBRIC_ITEM_KEYS):
        raise _fail(_("Each rubric item needs key, label, weight and max."))
    key, label = str(item["key"]).strip(), str(item["label"]).strip()
    if not key.isidentifier() or not label:
        raise _fail(_("Each rubric item needs a key (letters, digits, _) and a label."))
    weight = _integer(item["weight"], key, low=1, high=100)
    top = _integer(item.get("max", RUBRIC_ITEM_MAX), f"{key}.max", low=1, high=1000)
    return {"key": key, "label": label, "weight": weight, "max": top}


def _skb_rubric(raw) -> dict:
    raw = _keys(raw, {"items"})
    items = raw["items"]
    if not isinstance(items, list) or not items:
        raise _fail(_("The rubric needs at least one item."))
    out = [_rubric_item(item) for item in items]
    if len({i["key"] for i in out}) != len(out):
        raise _fail(_("The rubric item keys must be distinct."))
    if sum(i["weight"] for i in out) != 100:
        raise _fail(_("The rubric weights must add up to 100."))
    return {"items": out}


_CLEANERS: dict[str, Callable[[object], dict]] = {
    RuleKind.WORK_RATING: _work_rating,
    RuleKind.CURVE: _curve,
    RuleKind.IKM_CATEGORIES: _ikm_categories,
    RuleKind.SKD: _skd,
    RuleKind.SKB_RUBRIC: _skb_rubric,
}


def parameters_clean(kind: str, raw: object) -> dict:
    """The parameters of a kind, normalised, or a ValidationError naming the wrong value."""
    if kind not in _CLEANERS:
        raise _fail(_("Unknown rule."))
    return _CLEANERS[kind](raw)
