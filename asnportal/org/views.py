from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asnportal.accounts.access import (
    Role,
    audit_record,
    get_employee_for_officer,
    get_in_scope,
    role_required,
)
from asnportal.accounts.exports import ExportFile, export_with_purpose
from asnportal.ui.templatetags.lean_urls import row_urls

from . import directory_export, selectors, services
from .forms import DirectoryFilterForm, EmployeeForm, ImportUploadForm
from .importer import errors_xlsx, template_xlsx
from .models import Employee, EmployeeImport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(Role.HR_OFFICER)
def directory(request: HttpRequest) -> HttpResponse:
    units = selectors.unit_choices_for_regions(region_ids=request.role_regions)
    form = DirectoryFilterForm(request.GET or None, units=units)
    query, unit_id = "", None
    if form.is_valid():
        query, unit_id = form.cleaned_data["q"].strip(), form.cleaned_data["unit"]
    found = selectors.directory_filter(region_ids=request.role_regions, query=query, unit_id=unit_id)
    paginator = Paginator(selectors.directory_rows(found), 50)
    paginator.count = found.count()  # without the row columns' joins (see directory_rows)
    page = paginator.get_page(request.GET.get("page"))
    status = {value: str(label) for value, label in Employee.Status.choices}
    url = row_urls("org:employee_detail")
    rows = [
        {
            **e,
            "url": url(e["pk"]),
            "unit_name": e["unit_name"] or "",
            "position_name": e["position_name"] or "",
            "details": f"{e['position_name'] or ''} · {e['unit_name'] or ''}",
            "status": status.get(e["status"], e["status"]),
        }
        for e in page
    ]
    return render(
        request,
        "org/directory.html",
        {"form": form, "page": page, "rows": rows, "unit_options": _options(form["unit"])},
    )


@role_required(Role.HR_OFFICER)
def directory_xlsx(request: HttpRequest) -> HttpResponse:
    """The directory's rows (its filter applied) as XLSX: personal data, so a purpose is asked first."""
    units = selectors.unit_choices_for_regions(region_ids=request.role_regions)
    form = DirectoryFilterForm(request.GET or None, units=units)
    query, unit_id = "", None
    if form.is_valid():
        query, unit_id = form.cleaned_data["q"].strip(), form.cleaned_data["unit"]
    found = selectors.directory_filter(region_ids=request.role_regions, query=query, unit_id=unit_id)

    def build() -> ExportFile:
        content, rows = directory_export.directory_xlsx(selectors.directory_rows(found))
        return ExportFile(content, filename="daftar-pegawai.xlsx", content_type=XLSX, rows=rows)

    return export_with_purpose(
        request,
        kind="org_directory",
        fmt="xlsx",
        title=_("Employee directory"),
        obj=request.user,
        region_id=next(iter(request.role_regions), None) if len(request.role_regions) == 1 else None,
        build=build,
        back_url=reverse("org:directory"),
    )


def _options(field) -> str:
    """A select's <option>s built in one pass (a region has hundreds of units: Django's widget renders
    a template per option, the largest cost of the directory page)."""
    selected = str(field.value() or "")
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, " selected" if str(value) == selected else "", label)
            for value, label in field.field.choices
        ),
    )


@role_required(Role.HR_OFFICER)
def employee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employee = get_employee_for_officer(request, pk)
    subordinates = selectors.subordinates_of(employee=employee)
    return render(request, "org/employee_detail.html", {"employee": employee, "subordinates": subordinates})


def _employee_form(request: HttpRequest, employee: Employee | None, action: str, done: str) -> HttpResponse:
    """The employee form, new (employee None) or an edit: saved, audit-logged, then the detail page."""
    form = EmployeeForm(request.POST or None, instance=employee, region_ids=request.role_regions)
    if request.method == "POST" and form.is_valid():
        saved = services.employee_save(employee=form.instance)
        audit_record(request=request, action=action, obj=saved, region_id=saved.region_id)
        messages.success(request, done % {"name": saved.name})
        return redirect("org:employee_detail", pk=saved.pk)
    return render(request, "org/employee_form.html", {"form": form, "employee": employee})


@role_required(Role.HR_OFFICER)
def employee_create(request: HttpRequest) -> HttpResponse:
    return _employee_form(request, None, "employee_create", _("Employee %(name)s added."))


@role_required(Role.HR_OFFICER)
def employee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    employee = get_employee_for_officer(request, pk)
    return _employee_form(request, employee, "employee_update", _("Changes to %(name)s saved."))


@role_required(Role.HR_OFFICER)
def units(request: HttpRequest) -> HttpResponse:
    rows = selectors.units_with_headcount(region_ids=request.role_regions)
    return render(request, "org/units.html", {"units": rows})


@role_required(Role.HR_OFFICER)
def import_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.import_history(region_ids=request.role_regions), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "org/import_list.html", {"page": page})


@role_required(Role.HR_OFFICER)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None, region_ids=request.role_regions)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        imp = services.employee_import_start(
            region=form.cleaned_data["region"],
            created_by=request.user,
            filename=upload.name,
            content=form.content,
        )
        audit_record(
            request=request,
            action="employee_import_upload",
            obj=imp,
            region_id=imp.region_id,
            detail={"filename": imp.filename, "bytes": len(form.content)},
        )
        messages.info(request, _("The file was received; its rows are being checked."))
        return redirect("org:import_detail", pk=imp.pk)
    return render(request, "org/import_upload.html", {"form": form})


@role_required(Role.HR_OFFICER)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    imp = get_in_scope(request.user, selectors.import_for_page(), role=Role.HR_OFFICER, pk=pk)
    page = Paginator(selectors.import_errors(imp=imp), 100).get_page(request.GET.get("page"))
    return render(request, "org/import_detail.html", {"imp": imp, "page": page})


@role_required(Role.HR_OFFICER)
@require_POST
def import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Run a failed import again from its stored file (another region's import: 404)."""
    imp = get_in_scope(request.user, EmployeeImport.objects.all(), role=Role.HR_OFFICER, pk=pk)
    try:
        services.employee_import_retry(import_id=imp.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The import is queued again."))
    return redirect("org:import_detail", pk=imp.pk)


@role_required(Role.HR_OFFICER)
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The polled partial; once the import has finished, htmx reloads the whole page for the report."""
    imp = get_in_scope(request.user, selectors.import_progress_only(), role=Role.HR_OFFICER, pk=pk)
    response = render(request, "org/_import_progress.html", {"imp": imp})
    if request.htmx and imp.status in (EmployeeImport.Status.DONE, EmployeeImport.Status.FAILED):
        response["HX-Refresh"] = "true"
    return response


@role_required(Role.HR_OFFICER)
def import_errors_download(request: HttpRequest, pk: int) -> HttpResponse:
    imp = get_in_scope(request.user, selectors.import_for_page(), role=Role.HR_OFFICER, pk=pk)
    errors = imp.errors or []
    # Error lines quote the rows of the file (NIPs, names): a purpose is stated and audited.
    return export_with_purpose(
        request,
        kind="org_import_errors",
        fmt="xlsx",
        title=_("Errors of the import %(file)s") % {"file": imp.filename},
        obj=imp,
        region_id=imp.region_id,
        build=lambda: ExportFile(
            errors_xlsx(errors), filename=f"import-{imp.pk}-errors.xlsx", content_type=XLSX, rows=len(errors)
        ),
        back_url=reverse("org:import_detail", kwargs={"pk": imp.pk}),
    )


@role_required(Role.HR_OFFICER)
def import_template(request: HttpRequest) -> HttpResponse:
    return _xlsx_response(template_xlsx(), "template-import-pegawai.xlsx")
