"""Background jobs of the organisation core: thin wrappers that take ids and call a service."""

from celery import shared_task
from django.db import IntegrityError, InterfaceError, OperationalError
from django.utils import timezone
from django.utils.translation import gettext_noop

from asnportal.tasking import JobTask, connection_reset

from .importer import ImportRaced, employee_import_run
from .models import EmployeeImport

RETRYABLE = (OperationalError, InterfaceError, IntegrityError, ImportRaced)


def _give_up(import_id: int) -> None:
    msgid = gettext_noop(
        "The import stopped because of an unexpected error. Nothing was saved; upload the file again."
    )
    EmployeeImport.objects.filter(
        pk=import_id, status__in=[EmployeeImport.Status.PENDING, EmployeeImport.Status.RUNNING]
    ).update(
        status=EmployeeImport.Status.FAILED,
        errors=[{"row": None, "column": "", "msgid": msgid, "params": {}, "message": msgid}],
        finished_at=timezone.now(),
    )


@shared_task(
    name="org.import_employees",
    bind=True,
    base=JobTask,
    atomic=False,  # its progress is seen on the way; the write takes the receipt (importer.writing)
    give_up=_give_up,
    autoretry_for=RETRYABLE,
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
    acks_late=True,
    soft_time_limit=20 * 60,
    time_limit=25 * 60,
)
def import_employees(self, import_id: int) -> str:
    """Run one employee import (idempotent: a finished import is not run again)."""
    try:
        return employee_import_run(import_id=import_id).status
    except RETRYABLE:
        if self.request.retries >= self.max_retries:
            connection_reset()  # the last attempt may have lost its connection: record on a new one
            _give_up(import_id)
        raise
    except Exception:
        connection_reset()
        _give_up(import_id)
        raise
