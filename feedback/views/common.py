"""What the feedback pages share: errors onto forms and messages, the quarter asked for, HR's units."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone

from asnportal.accounts.access import get_in_scope
from asnportal.accounts.models import Role
from asnportal.org.models import Region

from .. import selectors
from ..models import ServiceUnit

HR = Role.HR_OFFICER


def apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for fname, errors in exc.message_dict.items():
            form.add_error(fname if fname in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def flash_errors(request: HttpRequest, form=None, exc: ValidationError | None = None) -> None:
    msgs = exc.messages if exc is not None else [e for errs in form.errors.values() for e in errs]
    for msg in msgs:
        messages.error(request, msg)


def current_quarter(request: HttpRequest, region: Region) -> selectors.Quarter:
    today = timezone.localtime(timezone=region.tzinfo).date()
    return selectors.Quarter.parse(request.GET.get("period"), selectors.Quarter.of(today))


def hr_unit(request: HttpRequest, pk: int) -> ServiceUnit:
    return get_in_scope(request.user, ServiceUnit.objects.select_related("region", "unit"), role=HR, pk=pk)
