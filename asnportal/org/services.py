"""Writes of the organisation core: keyword-only, typed, transactional."""

from django.db import transaction

from .models import Employee


@transaction.atomic
def employee_save(*, employee: Employee) -> Employee:
    """Validate (NIP decoded per Perka BKN 22/2007, region consistency) and save one employee."""
    employee.full_clean()
    employee.save()
    return employee
