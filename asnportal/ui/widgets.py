"""Native date pickers that keep working in Bahasa Indonesia.

A browser's <input type="date"> only accepts ISO values; Django would otherwise render the
locale's first format (dd-mm-yyyy in Indonesian), which the browser drops, leaving a required
field empty and the form impossible to send.
"""

from django import forms


class NativeDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class NativeDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")
