"""Writes of the organisation core: keyword-only, typed, transactional."""

from django.db import transaction

from .models import Employee, EmployeeImport, Region


@transaction.atomic
def employee_save(*, employee: Employee) -> Employee:
    """Validate (NIP decoded per Perka BKN 22/2007, region consistency) and save one employee."""
    employee.full_clean()
    employee.save()
    return employee


def employee_import_start(*, region: Region, created_by, filename: str, content: bytes) -> EmployeeImport:
    """Store an uploaded SIASN file and queue its import once the row is committed (issue 2)."""
    from .tasks import import_employees

    with transaction.atomic():
        imp = EmployeeImport(region=region, created_by=created_by, filename=filename[:255], content=content)
        imp.full_clean(exclude=["content"])
        imp.save()
        transaction.on_commit(lambda: import_employees.delay(imp.pk))
    return imp
