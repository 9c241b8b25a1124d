from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from asnportal.fields import CachedModelChoiceField
from asnportal.params import IdField, coerce_id, parse_id
from asnportal.ui.widgets import NativeDateInput

from .evidence import MAX_EVIDENCE_BYTES
from .models import BerAKHLAK, Indicator, OrgRating, Period, Potential, Rating, WorkResult


class LogForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=NativeDateInput())
    indicator = CachedModelChoiceField(
        label=_("KPI served"), queryset=Indicator.objects.none(), empty_label=None
    )
    quantity = forms.DecimalField(
        label=_("Quantity achieved"), min_value=Decimal("0"), max_digits=10, decimal_places=2
    )
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=24 * 60)
    description = forms.CharField(
        label=_("What I did"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.FileField(
        label=_("Evidence (photo or PDF, optional)"),
        required=False,
        help_text=_("At most %(mb)s MB.") % {"mb": MAX_EVIDENCE_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )

    def __init__(self, *args, indicators=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Every agreed KPI of the employee may be chosen; the service checks the date's year.
        self.fields["indicator"].queryset = indicators if indicators is not None else Indicator.objects.none()
        self.fields["indicator"].label_from_instance = lambda i: f"{i.text} ({i.unit})"
        # Lets the draft script find this form's fields.
        self.fields["description"].widget.attrs["data-draft"] = "1"


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ResubmitForm(forms.Form):
    quantity = forms.DecimalField(
        label=_("Quantity achieved"), min_value=Decimal("0"), max_digits=10, decimal_places=2
    )
    description = forms.CharField(
        label=_("What I did"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewForm(forms.Form):
    ACTIONS = [("approve", _("Approve")), ("return", _("Return"))]
    log_ids = forms.TypedMultipleChoiceField(label=_("Logs"), coerce=coerce_id, choices=[])
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    comment = forms.CharField(
        label=_("Comment (feedback)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Ids are checked against the supervisor's team by the service; here only their shape.
        raw = self.data.getlist("log_ids") if hasattr(self.data, "getlist") else []
        self.fields["log_ids"].choices = [(v, v) for v in raw if parse_id(v) is not None]
        self.fields["log_ids"].error_messages["invalid_choice"] = _("Select logs from the queue.")


class WorkResultForm(forms.Form):
    text = forms.CharField(label=_("Work result"), max_length=500)
    parent = forms.ModelChoiceField(
        label=_("Supervisor's work result it supports"), queryset=WorkResult.objects.none(), required=False
    )

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parents is not None:
            self.fields["parent"].queryset = parents


class IndicatorForm(forms.Form):
    result = forms.ModelChoiceField(
        label=_("Work result"), queryset=WorkResult.objects.none(), empty_label=None
    )
    text = forms.CharField(label=_("Indicator"), max_length=300)
    target = forms.DecimalField(
        label=_("Target (year)"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2
    )
    unit = forms.CharField(label=_("Unit of measure"), max_length=40)
    weight = forms.DecimalField(
        label=_("Weight (%)"),
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
    )
    source = forms.ChoiceField(label=_("Realisation source"), choices=Indicator.Source.choices)

    def __init__(self, *args, results=None, **kwargs):
        super().__init__(*args, **kwargs)
        if results is not None:
            self.fields["result"].queryset = results


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class PlanReviewForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Decision"), choices=[("agree", _("Agree")), ("return", _("Send back"))]
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class BehaviourForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for correction"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, initial_ratings=None, need_reason=False, **kwargs):
        super().__init__(*args, **kwargs)
        # A new appraisal starts with no behaviour chosen: each of the seven values is a judgement the
        # supervisor makes (a correction starts from the ratings given before).
        for code, label in BerAKHLAK.choices:
            self.fields[code] = forms.ChoiceField(
                label=label,
                choices=[("", _("— choose a rating —")), *Rating.choices],
                initial=(initial_ratings or {}).get(code),
                error_messages={"required": _("Choose a rating for %(value)s.") % {"value": label}},
            )
        self.need_reason = need_reason
        if not need_reason:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True
            self.order_fields([c for c, _l in BerAKHLAK.choices] + ["reason"])

    def ratings(self) -> dict[str, str]:
        return {code: self.cleaned_data[code] for code, _l in BerAKHLAK.choices}


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2020, max_value=2100)
    kind = forms.ChoiceField(label=_("Period"), choices=Period.Kind.choices)
    above_from = forms.DecimalField(
        label=_("Above expectation from (ratio)"),
        initial=Decimal("1.10"),
        min_value=Decimal("0.01"),
        max_digits=5,
        decimal_places=2,
    )
    meets_from = forms.DecimalField(
        label=_("Meets expectation from (ratio)"),
        initial=Decimal("0.90"),
        min_value=Decimal("0.01"),
        max_digits=5,
        decimal_places=2,
    )
    org_rating = forms.ChoiceField(
        label=_("Organisation rating"), choices=OrgRating.choices, initial=OrgRating.BAIK
    )

    def clean(self):
        data = super().clean()
        above, meets = data.get("above_from"), data.get("meets_from")
        if above is not None and meets is not None and above <= meets:
            raise forms.ValidationError(_("The 'above' threshold must be higher than the 'meets' one."))
        return data


class PotentialForm(forms.Form):
    employee = IdField(label=_("Employee"), widget=forms.HiddenInput)
    year = forms.IntegerField(label=_("Year"), min_value=2020, max_value=2100)
    potential = forms.ChoiceField(label=_("Potential"), choices=Potential.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
