"""HR's pages: the service units of the regions one manages and the citizen input to moderate."""

from django.db.models import Count, Q, QuerySet

from ..models import CitizenInput, ServiceUnit


def service_units_for_regions(region_ids) -> QuerySet[ServiceUnit]:
    return (
        ServiceUnit.objects.filter(region_id__in=list(region_ids))
        .select_related("region", "unit")
        .annotate(
            n_responses=Count("responses", distinct=True),
            n_pending=Count("inputs", filter=Q(inputs__status=CitizenInput.Status.PENDING), distinct=True),
        )
        .order_by("region__name", "name")
    )


def input_for_moderation(*, region_ids, status: str | None = None) -> QuerySet[CitizenInput]:
    qs = CitizenInput.objects.filter(service_unit__region_id__in=list(region_ids)).select_related(
        "service_unit", "service_unit__region"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at")
