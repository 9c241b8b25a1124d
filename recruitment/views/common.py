"""What the recruitment pages share: the one-form page, a service's errors on its form or as messages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render


def form_page(request, form, *, heading, submit, intro="", back=None, extra=None, status=200):
    context = {"form": form, "heading": heading, "submit_label": submit, "intro": intro, "back": back}
    context.update(extra or {})
    return render(request, "recruitment/form.html", context, status=status)


def errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def errors_to_messages(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)
