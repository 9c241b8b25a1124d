"""A region's recruitment figures for the evaluation reports."""

import datetime as dt

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from ..models import Application, Objection, Observation, Selection, Stage

_SCREENED_IN = [Application.Status.ADMIN_PASSED, Application.Status.SKD_PASSED, Application.Status.SKD_FAILED]
_SKD_DECIDED = [Application.Status.SKD_PASSED, Application.Status.SKD_FAILED]


def recruitment_summary(*, region_id: int, start, end) -> dict:
    """A region's recruitment figures for the evaluation reports (reports), in SQL aggregates.

    Counts the selections of the period's year up to the period's end: applicants, pass rates per
    stage, objections and how they ended, observer findings by severity, and the mean days from a
    selection's first announcement to its final sign-off.
    """
    end_at = dt.datetime.combine(
        end + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
    )
    selections = Selection.objects.filter(region_id=region_id, year=end.year, created_at__lt=end_at)
    apps = _application_counts(selections, end_at)
    objections = _objection_counts(selections, end_at)
    findings = _findings_by_severity(selections, end_at)
    days = _days_announcement_to_result(selections)
    return {
        "selections": selections.count(),
        "applicants": apps["applicants"],
        "admin_pass_rate": _rate(apps["admin_passed"], apps["screened"]),
        "skd_pass_rate": _rate(apps["skd_passed"], apps["skd_decided"]),
        "objections": objections["total"],
        "objections_accepted": objections["accepted"],
        "objections_rejected": objections["rejected"],
        "objections_pending": objections["pending"],
        "findings_by_severity": findings,
        "mean_days_announcement_to_result": round(sum(days) / len(days), 1) if days else None,
    }


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _application_counts(selections: QuerySet[Selection], end_at: dt.datetime) -> dict:
    return Application.objects.filter(selection__in=selections, created_at__lt=end_at).aggregate(
        applicants=Count("pk"),
        screened=Count("pk", filter=~Q(status=Application.Status.SUBMITTED)),
        admin_passed=Count("pk", filter=Q(status__in=_SCREENED_IN)),
        skd_decided=Count("pk", filter=Q(status__in=_SKD_DECIDED)),
        skd_passed=Count("pk", filter=Q(status=Application.Status.SKD_PASSED)),
    )


def _objection_counts(selections: QuerySet[Selection], end_at: dt.datetime) -> dict:
    return Objection.objects.filter(application__selection__in=selections, created_at__lt=end_at).aggregate(
        total=Count("pk"),
        accepted=Count("pk", filter=Q(answer__accepted=True)),
        rejected=Count("pk", filter=Q(answer__accepted=False)),
        pending=Count("pk", filter=Q(answer__isnull=True)),
    )


def _findings_by_severity(selections: QuerySet[Selection], end_at: dt.datetime) -> dict[str, int]:
    findings = dict(
        Observation.objects.filter(selection__in=selections, observed_at__lt=end_at)
        .values_list("severity")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {sev: findings.get(sev, 0) for sev, _label in Observation.Severity.choices}


def _days_announcement_to_result(selections: QuerySet[Selection]) -> list[float]:
    """Per selection with both: days from its first announcement to its last SKB or final sign-off."""
    durations = (
        selections.annotate(
            announced=Min("announcements__published_at"),
            result=Max("signoffs__created_at", filter=Q(signoffs__stage__in=[Stage.SKB, Stage.FINAL])),
        )
        .filter(announced__isnull=False, result__isnull=False)
        .values_list("announced", "result")
    )
    return [(result - announced).total_seconds() / 86400 for announced, result in durations]
