"""Demo data around the day it runs: agreed SKP for the BKPSDM teams (of every year the data
touches), daily logs on the working days since the previous quarter began, reviews with feedback,
the previous quarter appraised and closed (with any earlier quarter of its year), the current
quarter open, and potentials for the talent map.

On the first days of January the logs reach back into last year's Triwulan IV-Akhir: that period,
last year's plans and the rest of last year's periods are built too. Idempotent, and a later run
(another day, another year) only adds what the new day needs: the new periods and plans, the logs
of the new days, their reviews, the next appraisal."""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from asnportal.org.demo import demo_today, quarter_of, quarter_shift, quarter_start, working_days
from asnportal.org.models import Employee, Region, Unit

from . import services
from .models import (
    ActivityLog,
    BerAKHLAK,
    FeedbackMessage,
    Indicator,
    Period,
    Plan,
    Potential,
    Rating,
    TalentPotential,
)
from .rules import period_target

HEAD_RESULTS = [
    "Terwujudnya pengelolaan ASN yang profesional dan berbasis merit",
    "Meningkatnya kualitas pelayanan kepegawaian",
]
CHIEF_RESULTS = [
    ("Tersusunnya data dan layanan administrasi kepegawaian yang akurat", 0),
    ("Terlaksananya pengembangan kompetensi ASN sesuai kebutuhan", 1),
]
STAFF_KPIS = [
    ("Berkas layanan kepegawaian diverifikasi", "berkas", Decimal("240"), Decimal("60")),
    ("Data pegawai dimutakhirkan di SIASN", "data", Decimal("120"), Decimal("40")),
]
COMMENTS_RETURN = [
    "Mohon lampirkan bukti dukung berupa daftar berkas yang diverifikasi.",
    "Jumlah yang dilaporkan belum sesuai dengan rekap harian, mohon diperbaiki.",
]
COMMENTS_APPROVE = ["Bagus, pertahankan.", "Terima kasih, laporan lengkap."]
DESCRIPTIONS = [
    "Verifikasi berkas kenaikan pangkat",
    "Pemutakhiran data riwayat jabatan",
    "Verifikasi usul pensiun",
    "Validasi data pendidikan pegawai",
    "Pelayanan konsultasi kepegawaian",
]


KIND_OF_QUARTER = {1: "tw1", 2: "tw2", 3: "tw3", 4: "tw4"}
SKIP_DAY = 0.08  # leave, training, field work without a log


def _agreed_plan(employee: Employee, year: int, results: list[tuple[str, int | None]], kpis) -> Plan:
    plan = services.plan_get_or_create(employee=employee, year=year)
    for text, parent_id in results:
        result = services.result_add(plan=plan, text=text, parent_id=parent_id)
        for indicator, unit, target, weight in kpis:
            services.indicator_add(
                result=result, text=indicator, target=target, unit=unit, weight=weight, source="logs"
            )
    services.plan_submit(plan=plan)
    if employee.supervisor_id:
        return services.plan_agree(plan=plan, supervisor=employee.supervisor)
    # The head of a unit agrees with the regional secretary outside this demo: record it as agreed.
    now = timezone.now()
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.AGREED, agreed_at=now)
    Indicator.objects.filter(result__plan=plan).update(agreed_at=now)
    return plan


def _result_ids(employee: Employee, year: int) -> list[int]:
    return list(
        Plan.objects.get(employee=employee, year=year).results.order_by("pk").values_list("pk", flat=True)
    )


def _parent(results: list[int], index: int) -> int | None:
    return results[index] if index < len(results) else None


def _team_plans(head: Employee, chiefs: list[Employee], year: int) -> None:
    """The cascade of one year (head -> section chiefs -> staff); a plan that exists is left as it is."""
    has_plan = set(
        Plan.objects.filter(employee__in=[head, *chiefs], year=year).values_list("employee_id", flat=True)
    )
    if head.pk not in has_plan:
        _agreed_plan(
            head,
            year,
            [(t, None) for t in HEAD_RESULTS],
            [("Indeks sistem merit", "indeks", Decimal("100"), Decimal("50"))],
        )
    head_results = _result_ids(head, year)
    for chief in chiefs:
        if chief.pk not in has_plan:
            _agreed_plan(
                chief,
                year,
                [(t, _parent(head_results, i)) for t, i in CHIEF_RESULTS],
                [("Persentase layanan selesai tepat waktu", "persen", Decimal("100"), Decimal("50"))],
            )
        chief_results = _result_ids(chief, year)
        members = Employee.objects.filter(supervisor=chief).exclude(performance_plans__year=year)
        for member in members.order_by("pk"):
            _agreed_plan(
                member,
                year,
                [("Terlaksananya verifikasi dan pemutakhiran data kepegawaian", _parent(chief_results, 0))],
                STAFF_KPIS,
            )


def _periods(region: Region, first_year: int, current: dt.date) -> dict[tuple[int, str], Period]:
    """Every quarter from Triwulan I of `first_year` to the current one (none ahead of today)."""
    found = {}
    for year in range(first_year, current.year + 1):
        last = 4 if year < current.year else quarter_of(current)
        for quarter in range(1, last + 1):
            kind = KIND_OF_QUARTER[quarter]
            period = Period.objects.filter(
                region=region, year=year, kind=kind
            ).first() or services.period_open(
                user=None,
                region=region,
                year=year,
                kind=kind,
                above_from=Decimal("1.10"),
                meets_from=Decimal("0.90"),
                org_rating="baik",
            )
            found[(year, kind)] = period
    return found


def _in_closed(day: dt.date, closed: list[Period]) -> bool:
    return any(p.start <= day <= p.end for p in closed)


def _live_indicators(staff: list[Employee], years: set[int]) -> dict[tuple[int, int], list[Indicator]]:
    """The indicators of each (employee, year) plan that logs may be written against, in order."""
    indicators: dict[tuple[int, int], list[Indicator]] = {}
    for ind in (
        Indicator.objects.filter(
            result__plan__employee__in=staff, result__plan__year__in=years, removed=False
        )
        .select_related("result__plan")
        .order_by("pk")
    ):
        indicators.setdefault((ind.result.plan.employee_id, ind.result.plan.year), []).append(ind)
    return indicators


def _pace(n: int, member: Employee, salt: str) -> Decimal:
    """How far past the target the employee logs; every fifth one is a top performer, so the awards
    list and the talent pool have names."""
    own = random.Random(f"{salt}-{member.nip}")
    return Decimal("1.35") if n % 5 == 0 else Decimal(str(own.choice([0.8, 0.95, 1.05, 1.2, 1.35])))


def _day_log(
    member: Employee,
    kpis: list[Indicator],
    day: dt.date,
    *,
    salt: str,
    factor: Decimal,
    per_quarter_days: int,
    quarter: int,
) -> ActivityLog | None:
    """The log of one (employee, day) from its own seed, or None on a day off."""
    draw = random.Random(f"{salt}-{member.nip}-{day.isoformat()}")
    if draw.random() < SKIP_DAY:
        return None
    ind = kpis[day.toordinal() % len(kpis)]
    # Quantities that reach factor x the previous quarter's cumulative target by its last day:
    # whole numbers rounded up or down at random, so that small daily amounts still add up.
    per_log = period_target(ind.target, quarter) * len(kpis) / per_quarter_days * factor
    whole = int(per_log) + (1 if draw.random() < per_log % 1 else 0)
    return ActivityLog(
        employee=member,
        indicator=ind,
        date=day,
        quantity=Decimal(max(whole, 1)),
        duration_minutes=draw.choice([60, 90, 120, 180, 240]),
        description=draw.choice(DESCRIPTIONS),
    )


def _logs(staff: list[Employee], *, salt: str, days: list[dt.date], pace_days: int, quarter: int, closed):
    """One log per working day and employee, except a few days off; each (employee, day) draws from its
    own seed, so a later run adds exactly the days that are new and rebuilds none."""
    indicators = _live_indicators(staff, {d.year for d in days})
    logged = set(
        ActivityLog.objects.filter(employee__in=staff, date__gte=days[0], date__lte=days[-1]).values_list(
            "employee_id", "date"
        )
    )
    logs: list[ActivityLog] = []
    for n, member in enumerate(staff):
        factor = _pace(n, member, salt)
        for day in days:
            kpis = indicators.get((member.pk, day.year))
            if not kpis or (member.pk, day) in logged or _in_closed(day, closed):
                continue
            log = _day_log(
                member, kpis, day, salt=salt, factor=factor, per_quarter_days=pace_days, quarter=quarter
            )
            if log is not None:
                logs.append(log)
    ActivityLog.objects.bulk_create(logs, batch_size=2000)


def _reviews(chiefs: list[Employee], rng: random.Random, *, reviewed_until: Q, closed: list[Period]) -> None:
    """Waiting logs up to two weeks ago, and every log of a quarter about to close, are reviewed (a
    few returned with comments); the last two weeks of the open quarter wait in the queue."""
    for chief in chiefs:
        waiting = ActivityLog.objects.filter(
            reviewed_until, employee__supervisor=chief, status=ActivityLog.Status.SUBMITTED
        )
        for period in closed:  # a closed period's logs can no longer be reviewed
            waiting = waiting.exclude(date__gte=period.start, date__lte=period.end)
        team_logs = list(waiting.order_by("pk").values_list("pk", flat=True))
        returned = [pk for pk in team_logs if rng.random() < 0.04]
        commented = [pk for pk in team_logs if pk not in returned and rng.random() < 0.05]
        rest = sorted(set(team_logs) - set(returned) - set(commented))
        if rest:
            services.log_review(reviewer=chief, log_ids=rest, approve=True)
        for pk in commented:
            services.log_review(
                reviewer=chief, log_ids=[pk], approve=True, comment=rng.choice(COMMENTS_APPROVE)
            )
        for pk in returned:
            services.log_review(
                reviewer=chief, log_ids=[pk], approve=False, comment=rng.choice(COMMENTS_RETURN)
            )
        replies = [
            FeedbackMessage(
                log_id=pk,
                author_id=ActivityLog.objects.get(pk=pk).employee_id,
                body="Baik, akan saya perbaiki dan lengkapi.",
            )
            for pk in returned[:3]
        ]
        FeedbackMessage.objects.bulk_create(replies)


def _appraise(staff: list[Employee], period: Period, rng: random.Random) -> None:
    values = [c for c, _l in BerAKHLAK.choices]
    for n, member in enumerate(staff):
        mood = (
            Rating.ABOVE
            if n % 5 == 0
            else rng.choice([Rating.ABOVE, Rating.MEETS, Rating.MEETS, Rating.BELOW])
        )
        behaviour = {}
        for code in values:
            roll = rng.random()
            behaviour[code] = (
                mood if roll < 0.7 or n % 5 == 0 else rng.choice([Rating.ABOVE, Rating.MEETS, Rating.BELOW])
            )
        services.appraisal_rate(
            supervisor=member.supervisor, employee=member, period=period, behaviour=behaviour
        )


def _close_past_periods(region: Region, current: dt.date) -> None:
    for period in Period.objects.filter(region=region, status=Period.Status.OPEN, end__lt=current).order_by(
        "start"
    ):
        services.period_close(period=period)


def _record_potentials(employees: list[Employee], year: int, rng: random.Random) -> None:
    """Potentials recorded by HR for this year's talent map (an employee who has one keeps it)."""
    recorded = set(
        TalentPotential.objects.filter(year=year, employee__in=employees).values_list(
            "employee_id", flat=True
        )
    )
    for employee in employees:
        if employee.pk not in recorded:
            services.potential_record(
                user=None,
                employee=employee,
                year=year,
                potential=rng.choice([p for p, _l in Potential.choices]),
            )


@transaction.atomic
def seed_region(region: Region, rng: random.Random, *, salt: str) -> None:
    today = demo_today(region)  # a log's date is the employee's local date (DESIGN.md §4 Time)
    current = quarter_start(today)
    previous = quarter_shift(current, -1)
    unit = Unit.objects.get(region=region, code="BKPSDM")
    head = Employee.objects.get(unit=unit, supervisor__isnull=True)
    chiefs = list(Employee.objects.filter(supervisor=head).order_by("pk"))
    staff = list(Employee.objects.filter(supervisor__in=chiefs).order_by("supervisor_id", "pk"))

    periods = _periods(region, previous.year, current)
    for year in range(previous.year, today.year + 1):
        _team_plans(head, chiefs, year)

    appraised = periods[(previous.year, KIND_OF_QUARTER[quarter_of(previous)])]
    # Quarters closed by an earlier run (or by HR) keep their logs as they are.
    closed = list(Period.objects.filter(region=region, status=Period.Status.CLOSED, end__gte=previous))
    days = working_days(previous, today - dt.timedelta(days=1))
    if days:
        _logs(
            staff,
            salt=salt,
            days=days,
            pace_days=len(working_days(appraised.start, appraised.end)),
            quarter=appraised.quarter,
            closed=closed,
        )
    _reviews(
        chiefs,
        rng,
        reviewed_until=Q(date__lte=today - dt.timedelta(days=14)) | Q(date__lt=current),
        closed=closed,
    )

    # The previous quarter is appraised, then every quarter before the current one is closed.
    if not appraised.is_closed:
        _appraise(staff, appraised, rng)
    _close_past_periods(region, current)
    _record_potentials([head, *chiefs, *staff], today.year, rng)


def seed(*, rng: random.Random) -> list:
    # The logs' own seeds come before anything else is drawn: what a run draws for the reviews and
    # appraisals varies with what is already there, and must not move the logs of the next region.
    base = rng.getrandbits(64)
    for region in Region.objects.order_by("pk"):
        if Unit.objects.filter(region=region, code="BKPSDM").exists():
            seed_region(region, rng, salt=f"{base}-{region.code}")
    return []
