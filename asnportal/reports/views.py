from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from asnportal.accounts.access import Role, role_required
from asnportal.org.models import Region
from asnportal.org.selectors import region_headcount_by_unit


@role_required(Role.REGIONAL_HEAD, Role.HR_OFFICER)
def overview(request: HttpRequest) -> HttpResponse:
    """Headcount per unit of each region in the user's scope (aggregated in the database)."""
    regions = Region.objects.filter(pk__in=list(request.role_regions)).order_by("name")
    blocks = [{"region": r, "units": region_headcount_by_unit(region=r)} for r in regions]
    return render(request, "reports/overview.html", {"blocks": blocks})
