from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from asnportal.fields import CachedModelChoiceField
from asnportal.org.models import Unit

from . import rules
from .models import AgeBand, CitizenInput, Education, ExtraQuestion, Occupation, Service, Sex
from .services import TAG_RE

SCORE_ERRORS = {
    "required": _("Please answer this question."),
    "invalid_choice": _("Each answer must be a value from 1 to 4."),
}
BLANK = [("", _("Prefer not to say"))]
PLAIN_TEXT_ERROR = _("Please write plain text: HTML tags and scripts are not accepted in this field.")


class HoneypotMixin(forms.Form):
    # Hidden from people by CSS (class "fb-hp"); bots that fill every field are refused.
    website = forms.CharField(label=_("Leave this field empty"), required=False)


class SurveyForm(HoneypotMixin):
    """The SKM questionnaire: the nine elements (by code), profile, service, comment, extras, code."""

    token = forms.CharField(
        label=_("Survey code from your ticket (optional)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    service = CachedModelChoiceField(
        label=_("Service you used"), queryset=Service.objects.none(), required=False, empty_label=_("-")
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=BLANK + Sex.choices, required=False)
    age_band = forms.ChoiceField(label=_("Age"), choices=BLANK + AgeBand.choices, required=False)
    education = forms.ChoiceField(label=_("Education"), choices=BLANK + Education.choices, required=False)
    occupation = forms.ChoiceField(label=_("Occupation"), choices=BLANK + Occupation.choices, required=False)
    comment = forms.CharField(
        label=_("Comments and suggestions (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, services, questions: list[ExtraQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.questions = questions
        elements = {}
        for code in rules.ELEMENT_CODES:
            labels = rules.ANSWER_LABELS[code]
            elements[f"el_{code}"] = forms.TypedChoiceField(
                label=rules.ELEMENT_QUESTIONS[code],
                choices=[(i + 1, f"{i + 1}. {labels[i]}") for i in range(4)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages=SCORE_ERRORS,
            )
        for q in questions:
            name = f"extra_{q.pk}"
            if q.kind == ExtraQuestion.Kind.SCALE:
                elements[name] = forms.TypedChoiceField(
                    label=q.text,
                    choices=[(i, str(i)) for i in range(1, 5)],
                    coerce=int,
                    empty_value=None,
                    required=False,
                    widget=forms.RadioSelect,
                    error_messages=SCORE_ERRORS,
                )
            else:
                elements[name] = forms.CharField(
                    label=q.text, required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
                )
        # The nine elements first, then the profile and the unit's own questions.
        self.fields = {**elements, **self.fields}
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean(self):
        # The plain-text rule of the service, checked here too so every problem shows at once.
        data = super().clean()
        for name in ["comment"] + [
            f"extra_{q.pk}" for q in self.questions if q.kind == ExtraQuestion.Kind.TEXT
        ]:
            if isinstance(data.get(name), str) and TAG_RE.search(data[name]):
                self.add_error(name, PLAIN_TEXT_ERROR)
        return data

    def element_fields(self):
        return [self[f"el_{code}"] for code in rules.ELEMENT_CODES]

    def extra_fields(self):
        return [self[f"extra_{q.pk}"] for q in self.questions]

    def answers(self) -> dict[str, int]:
        return {code: self.cleaned_data[f"el_{code}"] for code in rules.ELEMENT_CODES}

    def extra(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(f"extra_{q.pk}") for q in self.questions}


class CitizenInputForm(HoneypotMixin):
    kind = forms.ChoiceField(label=_("Type"), choices=CitizenInput.Kind.choices, widget=forms.RadioSelect)
    rating = forms.TypedChoiceField(
        label=_("Rating of the staff service (for ratings)"),
        choices=[(i, "★" * i) for i in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose a rating from 1 to 5 stars.")},
    )
    body = forms.CharField(
        label=_("Your message"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}), min_length=10
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        # Stars alone read as "black star, black star ..." to a screen reader: say the number too.
        self.fields["rating"].choices = [
            (i, "★" * i + " " + gettext("(%(n)d of 5)") % {"n": i}) for i in range(1, 6)
        ]

    def clean_body(self):
        body = self.cleaned_data["body"]
        if TAG_RE.search(body):
            raise forms.ValidationError(PLAIN_TEXT_ERROR)
        return body


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=20)


class ServiceUnitForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Parent unit (OPD)"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=250, required=False)

    def __init__(self, *args, region_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(region_id__in=list(region_ids), is_active=True)


class ServiceUnitEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=250, required=False)
    is_active = forms.BooleanField(label=_("Active (takes survey responses)"), required=False)


class ServiceForm(forms.Form):
    name = forms.CharField(label=_("Service name"), max_length=200)


class ExtraQuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(label=_("Answer type"), choices=ExtraQuestion.Kind.choices)


class PopulationForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[(q, f"TW {q}") for q in range(1, 5)], coerce=int
    )
    users = forms.IntegerField(label=_("Number of service users"), min_value=1, max_value=10_000_000)


class TokenBatchForm(forms.Form):
    size = forms.IntegerField(label=_("Number of codes"), min_value=1, max_value=1000, initial=50)


class ModerationForm(forms.Form):
    ACTIONS = [("publish", _("Publish")), ("answer", _("Answer")), ("hide", _("Hide"))]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    answer = forms.CharField(
        label=_("Answer of the unit"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(label=_("Reason for hiding"), required=False, max_length=300)
