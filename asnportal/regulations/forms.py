import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services

NATIONAL = "national"


class ProposalForm(forms.Form):
    """A proposed version: scope, date, parameters (JSON of the kind's schema) and the reason."""

    scope = forms.ChoiceField(label=_("Applies to"))
    effective_from = forms.DateField(label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"}))
    parameters = forms.CharField(
        label=_("Parameters (JSON)"), widget=forms.Textarea(attrs={"rows": 12, "class": "font-monospace"})
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, kind: str, scopes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["scope"].choices = scopes

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            raw = json.loads(data["parameters"])
        except ValueError:
            raise ValidationError(_("The parameters are not valid JSON.")) from None
        data["parameters"] = services.proposal_check(
            kind=self.kind, effective_from=data["effective_from"], parameters=raw, reason=data["reason"]
        )
        data["region_id"] = None if data["scope"] == NATIONAL else int(data["scope"])
        return data
