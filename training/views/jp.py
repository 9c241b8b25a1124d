"""HR: the staff below their yearly 20 JP right, per unit, on screen and (with a purpose) as XLSX."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asnportal.accounts.access import role_required
from asnportal.accounts.exports import ExportFile, export_with_purpose

from .. import rules, selectors
from ..exports import below_20_workbook
from ..forms import UnitFilterForm
from .common import HR


def _below_20_query(request: HttpRequest):
    regions = request.role_regions
    year = timezone.localdate().year
    form = UnitFilterForm(request.GET or None, region_ids=regions)
    unit_id = form.cleaned_data["unit"].pk if form.is_valid() and form.cleaned_data["unit"] else None
    return form, year, selectors.below_20(region_ids=regions, year=year, unit_id=unit_id)


@role_required(HR)
def below_20_xlsx(request: HttpRequest) -> HttpResponse:
    """Names and NIPs of the staff below 20 JP: exported only with a stated, audited purpose."""
    _form, year, staff = _below_20_query(request)
    region = selectors.first_region(region_ids=request.role_regions)
    return export_with_purpose(
        request,
        kind="training_below_20",
        fmt="xlsx",
        title=_("Staff below 20 JP in %(year)s") % {"year": year},
        obj=region,
        region_id=region.pk,
        build=lambda: ExportFile(
            below_20_workbook(staff=staff, year=year),
            filename=f"pegawai-di-bawah-20-jp-{year}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            rows=staff.count(),
        ),
        back_url=reverse("training:below_20"),
    )


@role_required(HR)
def below_20(request: HttpRequest) -> HttpResponse:
    regions = request.role_regions
    form, year, staff = _below_20_query(request)
    page = Paginator(staff, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "training/below_20.html",
        {
            "form": form,
            "page": page,
            "units": selectors.below_20_by_unit(region_ids=regions, year=year),
            "year": year,
            "jp_right": rules.JP_RIGHT_PER_YEAR,
            "querystring": query.urlencode(),
        },
    )
