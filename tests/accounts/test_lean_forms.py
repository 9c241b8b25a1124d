"""The lean field renderer emits what crispy-bootstrap5 emits, up to whitespace (issue: scale)."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms

from asnportal.ui.templatetags.lean_forms import lean_field, lean_form
from asnportal.ui.widgets import NativeDateInput


def normalise(html: str) -> str:
    html = re.sub(r"\s+", " ", str(html))
    html = re.sub(r"\s*>\s*", ">", html)
    html = re.sub(r"\s*<\s*", "<", html)
    return re.sub(r"<(\w+) +", r"<\1 ", html).strip()


class Everything(forms.Form):
    name = forms.CharField(label="Name <b>", max_length=20, help_text="As on the <em>card</em>")
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    count = forms.IntegerField(label="Count", min_value=1)
    email = forms.EmailField(label="Email", required=False)
    day = forms.DateField(label="Day", widget=NativeDateInput())
    kind = forms.ChoiceField(label="Kind", choices=[("", "-"), ("a", "A & B"), ("c", "C")])
    grouped = forms.ChoiceField(
        label="Grouped", required=False, choices=[("", "-"), ("Group 1", [("x", "X"), ("y", "Y")])]
    )
    score = forms.TypedChoiceField(
        label="Score?",
        choices=[(i, f"{i}. label") for i in range(1, 5)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    optional_score = forms.TypedChoiceField(
        label="Optional", choices=[(1, "1"), (2, "2")], coerce=int, required=False, widget=forms.RadioSelect
    )
    agree = forms.BooleanField(label="I agree", required=True)
    flag = forms.BooleanField(label="Flag", required=False, help_text="Optional flag")
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    upload = forms.FileField(label="File", required=False)

    def clean(self):
        raise forms.ValidationError("Something is wrong with <the form>.")


CASES = [
    {},
    {"name": "Ana", "note": "hello <script>", "count": "3", "day": "2026-01-05", "kind": "a", "score": "2",
     "agree": "on", "grouped": "y", "optional_score": "1"},
    {"name": "x" * 30, "count": "0", "kind": "zz", "score": "9", "email": "nope", "day": "31-02-2026"},
]  # fmt: skip


@pytest.mark.parametrize("data", [None, *CASES])
def test_every_field_matches_crispy(data):
    crispy_form, lean = Everything(data), Everything(data)
    if data is not None:
        crispy_form.is_valid()
        lean.is_valid()
    for name in Everything.base_fields:
        expected = normalise(as_crispy_field(crispy_form[name]))
        assert normalise(lean_field(lean[name])) == expected, name


@pytest.mark.parametrize("data", [None, *CASES])
def test_whole_form_matches_crispy(data):
    crispy_form, lean = Everything(data), Everything(data)
    if data is not None:
        crispy_form.is_valid()
        lean.is_valid()
    assert normalise(lean_form(lean)) == normalise(as_crispy_form(crispy_form))


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, {}, {"el_waktu": "3", "comment": "<b>"}])
def test_survey_form_matches_crispy(data):
    from feedback.forms import SurveyForm
    from feedback.models import Service

    def make():
        form = SurveyForm(data, services=Service.objects.none(), questions=[])
        if data is not None:
            form.is_valid()
        return form

    crispy_form, lean = make(), make()
    for name in crispy_form.fields:
        assert normalise(lean_field(lean[name])) == normalise(as_crispy_field(crispy_form[name])), name
