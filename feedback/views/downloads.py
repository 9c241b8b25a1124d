"""HR's downloads of a service unit: code sheets, QR codes, the poster, the SKM report, the answers."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from asnportal.accounts.access import get_in_scope, role_required
from asnportal.accounts.exports import ExportFile, export_with_purpose

from .. import exports, selectors
from ..models import TokenBatch
from .common import HR, current_quarter, hr_unit


@role_required(HR)
def token_batch_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_in_scope(
        request.user,
        TokenBatch.objects.select_related("service_unit", "service_unit__region"),
        role=HR,
        region_field="service_unit__region",
        pk=pk,
    )
    url = request.build_absolute_uri(reverse("feedback:survey", kwargs={"slug": batch.service_unit.slug}))
    pdf = exports.token_batch_pdf(batch=batch, survey_url=url)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kode-survei-{batch.pk}.pdf"'
    return response


@role_required(HR)
def qr(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    su = hr_unit(request, pk)
    if fmt not in {"svg", "png"}:
        fmt = "svg"
    data, content_type = exports.qr_image(
        request.build_absolute_uri(reverse("feedback:survey", kwargs={"slug": su.slug})), fmt
    )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="qr-{su.slug}.{fmt}"'
    return response


@role_required(HR)
def poster(request: HttpRequest, pk: int) -> HttpResponse:
    su = hr_unit(request, pk)
    url = request.build_absolute_uri(reverse("feedback:survey", kwargs={"slug": su.slug}))
    return render(request, "feedback/poster.html", {"su": su, "survey_url": url})


@role_required(HR)
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    su = hr_unit(request, pk)
    quarter = current_quarter(request, su.region)
    pdf = exports.skm_report_pdf(
        service_unit=su,
        start=quarter.start,
        end=quarter.end,
        period_label=str(quarter),
        result=selectors.ikm_for_service_unit(service_unit=su, start=quarter.start, end=quarter.end),
        by_service=selectors.ikm_by_service(service_unit=su, start=quarter.start, end=quarter.end),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="skm-{su.slug}-{quarter.key}.pdf"'
    return response


@role_required(HR)
def answers_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The raw answers carry no name, code or address, but citizens' free-text comments may name
    people: like other exports of personal data, a purpose is stated and audited."""
    su = hr_unit(request, pk)
    quarter = current_quarter(request, su.region)
    return export_with_purpose(
        request,
        kind="feedback_answers",
        fmt="xlsx",
        title=_("Raw SKM answers of %(unit)s, %(quarter)s") % {"unit": su.name, "quarter": quarter.key},
        obj=su,
        region_id=su.region_id,
        build=lambda: ExportFile(
            exports.answers_xlsx(service_unit=su, start=quarter.start, end=quarter.end),
            filename=f"skm-{su.slug}-{quarter.key}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        back_url=reverse("feedback:unit_detail", kwargs={"pk": su.pk}) + f"?period={quarter.key}",
    )
