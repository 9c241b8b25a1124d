from django import forms
from django.utils.translation import gettext_lazy as _

from asnportal.ui.widgets import NativeDateInput

from .models import PeriodKind


class RecomputeForm(forms.Form):
    region = forms.TypedChoiceField(label=_("Region"), coerce=int)
    kind = forms.ChoiceField(label=_("Period type"), choices=PeriodKind.choices)
    period = forms.DateField(
        label=_("A day in the period"),
        widget=NativeDateInput(),
        help_text=_("Any date inside the month or quarter to compute."),
    )

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.pk, r.name) for r in regions]


class DashboardFilterForm(forms.Form):
    region = forms.TypedChoiceField(label=_("Region"), coerce=int, required=False)
    kind = forms.ChoiceField(label=_("Period type"), choices=PeriodKind.choices, required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.pk, r.name) for r in regions]
