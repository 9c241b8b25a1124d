"""Writes of the organisation core: keyword-only, typed, transactional."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from asnportal.tasking import enqueue

from .models import Employee, EmployeeImport, Region

IMPORT_TASK = "org.import_employees"


@transaction.atomic
def employee_save(*, employee: Employee) -> Employee:
    """Validate (NIP decoded per Perka BKN 22/2007, region consistency) and save one employee."""
    employee.full_clean()
    employee.save()
    return employee


def employee_import_start(*, region: Region, created_by, filename: str, content: bytes) -> EmployeeImport:
    """Store an uploaded SIASN file and queue its import with it (issue 2; the outbox, issue 18)."""
    with transaction.atomic():
        imp = EmployeeImport(region=region, created_by=created_by, filename=filename[:255], content=content)
        imp.full_clean(exclude=["content"])
        imp.save()
        enqueue(IMPORT_TASK, about=imp, import_id=imp.pk)
    return imp


def employee_import_retry(*, import_id: int) -> EmployeeImport:
    """Run a failed import again from the stored file (after the officer fixed what it needed)."""
    with transaction.atomic():
        imp = EmployeeImport.objects.select_for_update().get(pk=import_id)
        if imp.status != EmployeeImport.Status.FAILED:
            raise ValidationError(_("Only a failed import can be run again."))
        imp.status = EmployeeImport.Status.PENDING
        imp.total_rows = imp.processed_rows = imp.created_count = imp.updated_count = 0
        imp.errors = []
        imp.finished_at = None
        imp.save(
            update_fields=[
                "status",
                "total_rows",
                "processed_rows",
                "created_count",
                "updated_count",
                "errors",
                "finished_at",
            ]
        )
        enqueue(IMPORT_TASK, about=imp, import_id=imp.pk)
    return imp
