from asnportal.org.models import EmployeeImport

from ..permission_cases import Case, only


def _with_import(c):
    c.objects["import_a"] = EmployeeImport.objects.create(
        region=c.region_a,
        created_by=c.users["hr"],
        filename="pegawai.csv",
        content=b"NIP\n",
        status=EmployeeImport.Status.FAILED,
        errors=[{"row": 2, "column": "NIP", "msgid": "NIP must be exactly 18 digits.", "params": {}}],
    )


def _import_pk(c):
    return {"pk": c.objects["import_a"].pk}


CASES = {
    "org:directory": Case(only("hr", "hr_other")),
    "org:directory_xlsx": Case(only("hr", "hr_other")),  # GET: the purpose form
    "org:employee_detail": Case(
        only("hr", hr_other=404), kwargs=lambda c: {"pk": c.objects["staff_employee"].pk}
    ),
    "org:employee_create": Case(only("hr", "hr_other")),
    "org:employee_edit": Case(
        only("hr", hr_other=404), kwargs=lambda c: {"pk": c.objects["staff_employee"].pk}
    ),
    "org:units": Case(only("hr", "hr_other")),
    "org:import_list": Case(only("hr", "hr_other")),
    "org:import_upload": Case(only("hr", "hr_other")),
    "org:import_template": Case(only("hr", "hr_other")),
    "org:import_detail": Case(only("hr", hr_other=404), kwargs=_import_pk, setup=_with_import),
    "org:import_progress": Case(only("hr", hr_other=404), kwargs=_import_pk, setup=_with_import),
    "org:import_errors": Case(only("hr", hr_other=404), kwargs=_import_pk, setup=_with_import),
    # A failed import run again by its region's officer (back to its page), 404 for the other region.
    "org:import_retry": Case(
        only("hr", status=302, hr_other=404), kwargs=_import_pk, setup=_with_import, method="post"
    ),
}
