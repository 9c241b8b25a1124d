"""A failed import or report run is run again as a new job (the services behind the retry buttons)."""

import pytest
from django.core.exceptions import ValidationError

from asnportal.org import services as org_services
from asnportal.org.models import EmployeeImport
from asnportal.tasking.models import Job
from reports import services as report_services
from reports.models import ReportRun
from tests.org.importing import csv_bytes, row
from tests.reports.factories import LAST_MONTH

pytestmark = pytest.mark.django_db


def test_a_failed_import_runs_again_from_its_stored_file(cast, django_capture_on_commit_callbacks):
    imp = EmployeeImport.objects.create(
        region=cast.region_a,
        created_by=cast.users["hr"],
        filename="pegawai.csv",
        content=csv_bytes([row(i) for i in range(3)]),
        status=EmployeeImport.Status.FAILED,
        errors=[{"row": None, "column": "", "msgid": "x", "params": {}, "message": "x"}],
    )
    with django_capture_on_commit_callbacks(execute=True):
        org_services.employee_import_retry(import_id=imp.pk)
    imp.refresh_from_db()
    assert (imp.status, imp.created_count, imp.errors) == ("done", 3, [])
    assert list(Job.objects.values_list("task_name", "state", "about_id")) == [
        ("org.import_employees", "done", imp.pk)
    ]
    with pytest.raises(ValidationError, match="gagal"):
        org_services.employee_import_retry(import_id=imp.pk)  # done: nothing to retry


def test_a_failed_report_run_is_computed_again(cast, django_capture_on_commit_callbacks):
    run = ReportRun.objects.create(
        region=cast.region_a, kind="monthly", period_start=LAST_MONTH, status="failed", error="lost"
    )
    with django_capture_on_commit_callbacks(execute=True):
        report_services.run_retry(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.error) == ("done", "") and run.snapshot_id is not None
    assert Job.objects.get().state == "done"
    with pytest.raises(ValidationError, match="gagal"):
        report_services.run_retry(run_id=run.pk)


# --- the buttons: what the officer sees and posts --------------------------------------------------
def test_the_import_page_shows_the_state_and_its_retry_button_runs_the_job(
    cast, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    imp = EmployeeImport.objects.create(
        region=cast.region_a,
        created_by=cast.users["hr"],
        filename="pegawai.csv",
        content=csv_bytes([row(i) for i in range(2)]),
        status=EmployeeImport.Status.FAILED,
    )
    hr = cast.client("hr")
    page = hr.get(reverse("org:import_detail", args=[imp.pk]), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    retry = reverse("org:import_retry", args=[imp.pk])
    assert "Gagal" in page and f'action="{retry}"' in page
    assert hr.get(retry).status_code == 405  # a GET changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = hr.post(retry)
    assert response.status_code == 302
    imp.refresh_from_db()
    assert (imp.status, imp.created_count) == ("done", 2)
    page = hr.get(reverse("org:import_detail", args=[imp.pk]), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Selesai" in page and f'action="{retry}"' not in page
    # The other region's officer cannot run it again.
    assert cast.client("hr_other").post(retry).status_code == 404


def test_the_run_page_offers_to_compute_a_failed_run_again(cast, django_capture_on_commit_callbacks):
    from django.urls import reverse

    run = ReportRun.objects.create(
        region=cast.region_a, kind="monthly", period_start=LAST_MONTH, status="failed", error="lost"
    )
    hr = cast.client("hr")
    page = hr.get(reverse("reports:run_detail", args=[run.pk]), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    retry = reverse("reports:run_retry", args=[run.pk])
    assert "Gagal" in page and f'action="{retry}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        assert hr.post(retry).status_code == 302
    run.refresh_from_db()
    assert run.status == "done"
    assert hr.post(retry).status_code == 302  # nothing to retry: a message, no second job
    assert Job.objects.filter(task_name="reports.compute").count() == 1
