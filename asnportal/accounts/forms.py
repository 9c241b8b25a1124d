from django import forms
from django.utils.translation import gettext_lazy as _

from .codes import looks_like_recovery_code, recovery_code_normalise


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("The code has 6 digits."))
        return token


class VerifyForm(forms.Form):
    """The current code of the app, or one of the recovery codes."""

    token = forms.CharField(
        label=_("6-digit code from your authenticator app, or a recovery code"),
        max_length=20,
        error_messages={"required": _("Type the code.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip().replace(" ", "")
        if len(token) == 6 and token.isdigit():
            return token
        if looks_like_recovery_code(token):
            return recovery_code_normalise(token)
        raise forms.ValidationError(
            _("Type the 6-digit code from your app, or a recovery code (10 letters and digits).")
        )


class DeviceResetForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the reset"),
        max_length=500,
        help_text=_(
            "For example: phone lost, replaced or broken. The reason is recorded and mailed to the user."
        ),
        error_messages={"required": _("Give the reason for the reset.")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
