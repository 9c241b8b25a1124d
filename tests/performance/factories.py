"""Builders for performance tests: plans go through the services, as users do."""

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from asnportal.org.models import Employee, Region
from performance import rules, services
from performance.models import ActivityLog, BerAKHLAK, Indicator, Period, Plan

from ..clock import TODAY, quarter_start

PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def png_upload(name: str = "bukti.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_1PX, content_type="image/png")


def agreed_plan(
    employee: Employee,
    year: int,
    kpis: list[tuple[str, Decimal | int, Decimal | int]] | None = None,
    *,
    source: str = "logs",
    parent_id: int | None = None,
) -> tuple[Plan, list[Indicator]]:
    """An agreed plan with one work result and the KPIs (text, target, weight)."""
    kpis = kpis or [("Berkas diverifikasi", 100, 60), ("Data dimutakhirkan", 40, 40)]
    plan = services.plan_get_or_create(employee=employee, year=year)
    if parent_id is None and employee.supervisor_id:
        boss_plan = Plan.objects.filter(employee_id=employee.supervisor_id, year=year).first()
        if boss_plan is not None and boss_plan.results.exists():
            parent_id = boss_plan.results.first().pk
    result = services.result_add(plan=plan, text="Layanan kepegawaian yang akurat", parent_id=parent_id)
    indicators = [
        services.indicator_add(
            result=result,
            text=text,
            target=Decimal(target),
            unit="berkas",
            weight=Decimal(weight),
            source=source,
        )
        for text, target, weight in kpis
    ]
    services.plan_submit(plan=plan)
    if employee.supervisor_id:
        services.plan_agree(plan=plan, supervisor=employee.supervisor)
    else:
        from django.utils import timezone

        Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.AGREED, agreed_at=timezone.now())
        Indicator.objects.filter(result__plan=plan).update(agreed_at=timezone.now())
    for ind in indicators:
        ind.refresh_from_db()
    plan.refresh_from_db()
    return plan, indicators


def open_period(region: Region, year: int, kind: str = "tw4", **extra) -> Period:
    values = {"above_from": Decimal("1.10"), "meets_from": Decimal("0.90"), "org_rating": "baik"} | extra
    return services.period_open(user=None, region=region, year=year, kind=kind, **values)


def quarter_kind(day: dt.date = TODAY) -> str:
    """The period kind ("tw1".."tw4") of the quarter holding `day`."""
    return f"tw{(day.month - 1) // 3 + 1}"


def current_period(region: Region, **extra) -> Period:
    """The open period of the quarter holding TODAY (on 4 January: Triwulan I of the new year)."""
    return open_period(region, TODAY.year, quarter_kind(), **extra)


def due(quantity, period: Period) -> Decimal:
    """What a yearly `quantity` means by the end of `period` (cumulative: n/4 of it in Triwulan n),
    so that logging due(q) against a yearly target t achieves exactly q/t whatever the quarter."""
    return rules.period_target(Decimal(quantity), period.quarter)


def log_days(n: int) -> list[dt.date]:
    """n days up to TODAY, oldest first, none before this quarter began (so in the current period and
    year, whose plan a log needs): on the first day of a quarter they are all that day."""
    first = quarter_start(TODAY)
    return [max(TODAY - dt.timedelta(days=n - 1 - i), first) for i in range(n)]


def approved_log(employee: Employee, indicator: Indicator, date: dt.date, quantity) -> ActivityLog:
    return ActivityLog.objects.create(
        employee=employee,
        indicator=indicator,
        date=date,
        quantity=Decimal(quantity),
        duration_minutes=60,
        description="Kegiatan",
        status=ActivityLog.Status.APPROVED,
    )


def behaviour(default: str = "sesuai", **overrides) -> dict[str, str]:
    return {code: overrides.get(code, default) for code, _l in BerAKHLAK.choices}
