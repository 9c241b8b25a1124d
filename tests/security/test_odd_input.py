"""Odd input never answers 500: every id in a query string or a form goes through asnportal.params.

An attacker's probe found pages that checked a parameter with `str.isdigit()` and then called
`int()`: "²" passes isdigit and breaks int, a 25-digit number overflows the database column. Each
such URL is driven here with the probe's values; an id that names an object answers 404, a page
number falls back to the first (or last) page, a certificate code of no possible shape is "not
found" in Indonesian, a form field carrying an id gives a form error and changes nothing.
"""

import re

import pytest
from django import forms
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from asnportal.org.models import Region
from asnportal.params import (
    BIGINT_MAX,
    INT_MAX,
    PAGE_MAX,
    IdField,
    coerce_id,
    id_or_404,
    parse_code,
    parse_id,
    parse_page,
    pk_max,
)
from performance.models import ActivityLog, Indicator, Potential, TalentPotential
from recruitment.views import public as recruitment_public_views

from ..clock import TODAY
from ..performance import permissions as performance_cases
from ..permission_cases import all_cases
from ..recruitment.factories import make_application, make_selection
from ..training import permissions as training_cases

pytestmark = pytest.mark.django_db

# The probe's values: superscript two, Arabic-Indic three, 25 digits, a sign, zero, a slash, nothing,
# an exponent, a leading space.
ODD = ["²", "٣", "9" * 25, "-1", "0", "a/b", "", "1e3", " 1"]
NOT_FOUND_CERTIFICATE = "Tidak ada sertifikat dengan kode ini"


# --- the parser --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ODD + ["1.0", "1_000", "+1", "1 ", "0x1", "1\x00", None, True, 1.0, [1]])
def test_parse_id_refuses_everything_but_ascii_digits_in_range(value):
    assert parse_id(value) is None
    assert parse_id(value, maximum=INT_MAX) is None
    with pytest.raises(ValueError):
        coerce_id(value)


@pytest.mark.parametrize("value", ["1", "42", "007", 42])
def test_parse_id_accepts_ascii_digits(value):
    assert parse_id(value) == int(value)
    assert coerce_id(value) == int(value)


def test_parse_id_at_the_integer_column_boundary():
    assert parse_id(str(INT_MAX), maximum=INT_MAX) == 2**31 - 1
    assert parse_id(str(2**31), maximum=INT_MAX) is None
    assert parse_id(INT_MAX + 1, maximum=INT_MAX) is None
    assert parse_id("1", maximum=INT_MAX) == 1


def test_parse_id_at_the_bigint_column_boundary():
    assert parse_id(str(BIGINT_MAX)) == 2**63 - 1
    assert parse_id(str(2**63)) is None
    assert parse_id("9" * 4300) is None  # refused before int() (which would refuse past 4300 digits)


def test_the_maximum_follows_the_primary_key_type():
    assert pk_max(Region) == BIGINT_MAX  # DEFAULT_AUTO_FIELD is BigAutoField
    assert pk_max(ActivityLog) == BIGINT_MAX


def test_id_or_404():
    from django.http import Http404

    assert id_or_404("12") == 12
    for value in ["²", "", None, "0", str(2**63)]:
        with pytest.raises(Http404):
            id_or_404(value)


@pytest.mark.parametrize(
    ("value", "page"),
    [("3", 3), ("1", 1), ("0", 1), ("-1", 1), ("²", 1), ("٣", 1), ("", 1), (None, 1), ("1e3", 1), (" 1", 1)],
)
def test_parse_page_falls_back_to_the_first_page(value, page):
    assert parse_page(value) == page


def test_parse_page_too_high_means_the_last_page():
    assert parse_page("9" * 25) == PAGE_MAX
    assert parse_page(str(PAGE_MAX)) == PAGE_MAX
    assert parse_page(str(PAGE_MAX + 1)) == PAGE_MAX


@pytest.mark.parametrize(
    ("value", "code"),
    [("ABCDEFGH2345", "ABCDEFGH2345"), (" abc ", "abc"), ("AB-12", "AB-12"), ("a/b", None), ("²", None),
     ("٣", None), ("", None), ("A\x00B", None), ("A" * 17, None), (None, None)],
)  # fmt: skip
def test_parse_code(value, code):
    assert parse_code(value, max_length=16) == code


class _PickForm(forms.Form):
    employee = IdField(label="Employee", widget=forms.HiddenInput)


@pytest.mark.parametrize("value", [v for v in ODD if v] + [str(2**63)])
def test_id_field_gives_an_indonesian_form_error(value):
    with translation.override("id"):
        form = _PickForm({"employee": value})
        assert not form.is_valid()
        assert form.errors["employee"] == ["Pilih data yang valid: rujukan ini tidak dikenali."]


def test_id_field_accepts_an_id():
    form = _PickForm({"employee": "17"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["employee"] == 17


# --- the pages ---------------------------------------------------------------------------------

# HR pages whose ?region= or ?period= names an object: a malformed one is an object that does not exist.
OBJECT_PARAMS = [
    ("performance:periods", "region"),
    ("performance:distribution", "region"),
    ("performance:distribution", "period"),
    ("performance:recognition", "region"),
    ("performance:recognition", "period"),
    ("performance:talent", "region"),
    ("performance:succession", "region"),
    ("planning:index", "region"),
]


@pytest.mark.parametrize("value", ODD)
@pytest.mark.parametrize(("name", "param"), OBJECT_PARAMS)
def test_query_parameter_naming_an_object_answers_404(cast, name, param, value):
    performance_cases.world(cast)
    response = cast.client("hr").get(reverse(name), {param: value})
    # An empty parameter is no parameter: the page shows the officer's default region and period.
    assert response.status_code == (200 if value == "" else 404)


@pytest.mark.parametrize(("name", "param"), OBJECT_PARAMS)
def test_query_parameter_with_the_right_id_still_works(cast, name, param):
    performance_cases.world(cast)
    value = cast.objects["period"].pk if param == "period" else cast.region_a.pk
    assert cast.client("hr").get(reverse(name), {param: value}).status_code == 200


@pytest.mark.parametrize(
    ("value", "number"),
    [("²", 1), ("٣", 1), ("9" * 25, 2), ("-1", 1), ("0", 1), ("a/b", 1), ("", 1), ("1e3", 1), (" 1", 1),
     ("2", 2), ("3", 2), ("99999", 2)],
)  # fmt: skip
def test_public_ranking_page_numbers_fall_back_to_the_first_or_last_page(cast, monkeypatch, value, number):
    monkeypatch.setattr(recruitment_public_views, "RANKING_PAGE_SIZE", 2)
    selection = make_selection(region=cast.region_a)
    formation = selection.formations.get()
    for i, skd in enumerate([(120, 150, 200), (110, 140, 190), (100, 130, 180)]):
        make_application(formation, name=f"Peserta Urut {i + 1}", skd=skd)
    url = reverse("recruitment:public_ranking", args=[selection.pk, formation.pk])
    response = cast.client("anonymous").get(url, {"page": value})
    assert response.status_code == 200
    assert response.context["page"].number == number
    shown = [
        name
        for name in ("Peserta Urut 1", "Peserta Urut 2", "Peserta Urut 3")
        if name in response.content.decode()
    ]
    assert shown == (["Peserta Urut 1", "Peserta Urut 2"] if number == 1 else ["Peserta Urut 3"])


@pytest.mark.parametrize("value", [v for v in ODD if v.strip() and len(v) <= 16] + ["ABCD/EFGH2345"])
def test_certificate_lookup_of_any_code_answers_not_found_in_indonesian(cast, value):
    training_cases._completed(cast)
    response = cast.client("anonymous").get(reverse("training:verify_lookup"), {"code": value}, follow=True)
    assert response.status_code == 404
    assert NOT_FOUND_CERTIFICATE in response.content.decode()


@pytest.mark.parametrize("value", ["9" * 25, "A\x00B"])
def test_certificate_lookup_of_a_code_no_form_takes_is_a_form_error(cast, value):
    response = cast.client("anonymous").get(reverse("training:verify_lookup"), {"code": value})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]


def test_certificate_lookup_still_finds_a_real_code(cast):
    training_cases._completed(cast)
    response = cast.client("anonymous").get(
        reverse("training:verify_lookup"), {"code": " abcdefgh2345 "}, follow=True
    )
    assert response.status_code == 200
    assert "Budi Pegawai" in response.content.decode()


@pytest.mark.parametrize("code", ["%C2%B2", "%00", "A%00B", "x" * 300])
def test_certificate_path_with_an_odd_code_answers_not_found(cast, code):
    response = cast.client("anonymous").get(f"/pelatihan/sertifikat/{code}/")
    assert response.status_code == 404
    assert NOT_FOUND_CERTIFICATE in response.content.decode()


def test_certificate_lookup_without_a_code_asks_for_one(cast):
    response = cast.client("anonymous").get(reverse("training:verify_lookup"), {"code": ""})
    assert response.status_code == 200
    assert NOT_FOUND_CERTIFICATE not in response.content.decode()


# --- forms carrying ids ------------------------------------------------------------------------


@pytest.mark.parametrize("value", ODD)
def test_review_with_odd_log_ids_is_a_form_error_and_changes_nothing(cast, value):
    performance_cases.world(cast)
    log = cast.objects["log"]
    response = cast.client("supervisor").post(
        reverse("performance:review_queue"), {"log_ids": [value], "action": "approve"}
    )
    assert response.status_code == 400
    assert "Pilih laporan dari antrean." in response.content.decode()
    log.refresh_from_db()
    assert log.status == ActivityLog.Status.SUBMITTED


@pytest.mark.parametrize("value", [v for v in ODD if v])
def test_talent_potential_with_an_odd_employee_changes_nothing(cast, value):
    response = cast.client("hr").post(
        reverse("performance:talent"),
        {"employee": value, "year": TODAY.year, "potential": Potential.values[0]},
    )
    assert response.status_code == 400
    assert not TalentPotential.objects.exists()


def test_talent_potential_with_the_employee_id_is_recorded(cast):
    employee = cast.objects["staff_employee"]
    response = cast.client("hr").post(
        reverse("performance:talent"),
        {"employee": employee.pk, "year": TODAY.year, "potential": Potential.values[0]},
    )
    assert response.status_code == 302
    assert TalentPotential.objects.filter(employee=employee, year=TODAY.year).exists()


@pytest.mark.parametrize("value", ODD)
def test_removing_a_kpi_by_an_odd_id_answers_404_and_keeps_it(cast, value):
    performance_cases.world(cast)
    before = Indicator.objects.count()
    response = cast.client("staff").post(reverse("performance:plan_kpi_remove"), {"indicator": value})
    assert response.status_code == 404
    assert Indicator.objects.count() == before


# --- sweeps: every page of the permission matrix ---------------------------------------------

# The query parameters the views read, and the probe's worst values for them.
QUERY_PARAMS = [
    "region",
    "period",
    "page",
    "unit",
    "kind",
    "day",
    "status",
    "code",
    "q",
    "year",
    "on",
    "month",
]
SWEEP = ["²", "9" * 25, "a/b"]
FIELD_NAME = re.compile(r'name="([^"]+)"')
CASES = all_cases()
PAGES = sorted(n for n, c in CASES.items() if any(s in (200, 302) for s in c.expect.values()))


def _page(cast, name):
    case = CASES[name]
    role = next(r for r, s in case.expect.items() if s in (200, 302))
    if case.setup:
        case.setup(cast)
    return case, cast.client(role), reverse(name, kwargs=case.kwargs(cast) if case.kwargs else {})


def _status(call) -> int:
    with transaction.atomic():  # a database error fails this request only, not every later one
        return call().status_code


@pytest.mark.parametrize("name", PAGES)
def test_no_query_parameter_or_form_field_value_answers_500(cast, name):
    """The query parameters the views read, then every field of the page's forms (read from its
    HTML), with the probe's worst values: a page, a 404 or a form error, never 500."""
    case, client, url = _page(cast, name)
    failures = []
    base = case.data(cast) if case.data else {}
    fields = set(base)
    if case.method == "get":
        for param in QUERY_PARAMS:
            for value in SWEEP:
                if _status(lambda p=param, v=value: client.get(url, {p: v})) == 500:
                    failures.append(f"GET ?{param}={value!r}")
        page = client.get(url)
        if page.status_code == 200 and "html" in page.get("Content-Type", ""):
            fields |= set(FIELD_NAME.findall(page.content.decode()))
    fields.discard("csrfmiddlewaretoken")
    for field in sorted(fields):
        for value in SWEEP:
            if _status(lambda f=field, v=value: client.post(url, {**base, f: v})) == 500:
                failures.append(f"POST {field}={value!r}")
    assert not failures, f"{url}: {failures}"
