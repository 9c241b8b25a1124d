from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Permission


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Who uses the token, e.g. “SIASN sync” or “Mobile app Budi”."),
    )
    region = forms.ModelChoiceField(label=_("Region"), queryset=None, empty_label=None)
    permissions = forms.MultipleChoiceField(
        label=_("Permissions"), choices=Permission.choices, widget=forms.CheckboxSelectMultiple
    )
    acts_for_nip = forms.RegexField(
        label=_("Acts for (NIP)"),
        regex=r"^[0-9]{18}$",
        required=False,
        help_text=_("Only for writing daily logs: the employee whose logs the token writes."),
        error_messages={"invalid": _("A NIP has exactly 18 digits.")},
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
