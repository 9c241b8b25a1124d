from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from asnportal.accounts.access import Role, get_employee_for_officer, role_required

from . import selectors
from .forms import DirectoryFilterForm


@role_required(Role.HR_OFFICER)
def directory(request: HttpRequest) -> HttpResponse:
    units = selectors.units_for_regions(region_ids=request.role_regions)
    form = DirectoryFilterForm(request.GET or None, units=units)
    query, unit_id = "", None
    if form.is_valid():
        query, unit_id = form.cleaned_data["q"].strip(), form.cleaned_data["unit"]
    employees = selectors.employee_directory(region_ids=request.role_regions, query=query, unit_id=unit_id)
    page = Paginator(employees, 50).get_page(request.GET.get("page"))
    return render(request, "org/directory.html", {"form": form, "page": page})


@role_required(Role.HR_OFFICER)
def employee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employee = get_employee_for_officer(request, pk)
    subordinates = selectors.subordinates_of(employee=employee)
    return render(request, "org/employee_detail.html", {"employee": employee, "subordinates": subordinates})
