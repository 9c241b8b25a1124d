"""Exports of other people's personal data need a stated purpose, and every such export is audited.

A view checks access first (so outsiders still get 403/404), then hands the file builder to
`export_with_purpose`: GET shows the purpose form, a POST with a valid purpose builds the file and
writes one AuditEvent (action "export"); an invalid purpose shows the form again, with no file and no
audit row. The builder runs only after the purpose is accepted.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.db import models
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .access import audit_record

EXPORT_ACTION = "export"
PURPOSE_MIN = 10
PURPOSE_MAX = 500
_SPACES = re.compile(r"\s+")


class PurposeCategory(models.TextChoices):
    ADMINISTRATION = "administration", _("Personnel administration")
    REPORTING = "reporting", _("Reporting to leadership")
    EXTERNAL_REQUEST = "external_request", _("Request from another agency / law enforcement")
    OTHER = "other", _("Other")


def clean_text(value: str) -> str:
    """Drop control and format characters (newlines and tabs become spaces) and squeeze spaces."""
    kept = "".join(
        " " if ch in "\t\n\r" else ch for ch in value if ch in "\t\n\r" or unicodedata.category(ch)[0] != "C"
    )
    return _SPACES.sub(" ", kept).strip()


class CleanTextField(forms.CharField):
    """Text with its control characters removed before anything else looks at it (so a value of
    only control characters counts as empty)."""

    def to_python(self, value) -> str:
        return clean_text(super().to_python(value))


class PurposeForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Purpose"),
        choices=PurposeCategory.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the purpose of this export."),
            "invalid_choice": _("Choose one of the listed purposes."),
        },
    )
    explanation = CleanTextField(
        label=_("Explanation"),
        help_text=_("Why you need this file and who will receive it (10 to 500 characters)."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": PURPOSE_MAX}),
        error_messages={"required": _("Explain why you need this export.")},
    )

    def clean_explanation(self) -> str:
        text = self.cleaned_data["explanation"]
        if len(text) < PURPOSE_MIN:
            raise forms.ValidationError(
                _("The explanation must have at least %(min)s characters (letters, digits or punctuation)."),
                params={"min": PURPOSE_MIN},
                code="too_short",
            )
        if len(text) > PURPOSE_MAX:
            raise forms.ValidationError(
                _("The explanation may have at most %(max)s characters; it has %(n)s."),
                params={"max": PURPOSE_MAX, "n": len(text)},
                code="too_long",
            )
        return text


@dataclass
class ExportFile:
    content: bytes
    filename: str
    content_type: str
    rows: int | None = None

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content, content_type=self.content_type)
        response["Content-Disposition"] = f'attachment; filename="{self.filename}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


def export_with_purpose(
    request: HttpRequest,
    *,
    kind: str,
    fmt: str,
    title: str,
    obj: Model,
    region_id: int | None,
    build: Callable[[], ExportFile | HttpResponse],
    back_url: str,
) -> HttpResponse:
    """The purpose form (GET, or POST with errors) or the file with its audit row (valid POST).

    Call it only after the view has checked access to `obj`."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = PurposeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        built = build()
        response = built.response() if isinstance(built, ExportFile) else built
        detail = {
            "purpose_category": form.cleaned_data["category"],
            "purpose": form.cleaned_data["explanation"],
            "export": kind,
            "format": fmt,
        }
        if isinstance(built, ExportFile) and built.rows is not None:
            detail["rows"] = built.rows
        audit_record(request=request, action=EXPORT_ACTION, obj=obj, region_id=region_id, detail=detail)
        return response
    return render(
        request,
        "accounts/export_purpose.html",
        {"form": form, "title": title, "fmt": fmt.upper(), "back_url": back_url},
        status=400 if request.method == "POST" else 200,
    )
