"""What the training views share: the HR role, messages from a service's refusal, local dates."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone

from asnportal.accounts.access import Role

from .. import selectors
from ..models import Enrollment

HR = Role.HR_OFFICER


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _employee_today(employee) -> dt.date:
    return timezone.now().astimezone(employee.region.tzinfo).date()


def _own_enrollment(request: HttpRequest, pk: int) -> Enrollment:
    """The staff member's own enrollment; anyone else's answers 404."""
    enrollment = selectors.own_enrollment(employee=request.employee, pk=pk)
    if enrollment is None:
        raise Http404
    return enrollment
