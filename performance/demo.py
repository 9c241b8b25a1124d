"""Demo data: agreed SKP for the BKPSDM teams, daily logs on working days since July, reviews with
feedback, Triwulan III appraised and closed, Triwulan IV open, and potentials for the talent map."""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from asnportal.org.models import Employee, Region, Unit

from . import services
from .models import ActivityLog, BerAKHLAK, FeedbackMessage, Indicator, Period, Plan, Potential, Rating

YEAR = 2026
LOG_START = dt.date(YEAR, 7, 1)
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


def _working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    days, cursor = [], start
    while cursor <= end:
        if cursor.weekday() < 5:
            days.append(cursor)
        cursor += dt.timedelta(days=1)
    return days


def _agreed_plan(employee: Employee, results: list[tuple[str, int | None]], kpis_per_result) -> Plan:
    plan = services.plan_get_or_create(employee=employee, year=YEAR)
    for text, parent_id in results:
        result = services.result_add(plan=plan, text=text, parent_id=parent_id)
        for indicator, unit, target, weight in kpis_per_result(text):
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


def _periods(region: Region) -> dict[str, Period]:
    found = {}
    for kind in ("tw1", "tw2", "tw3", "tw4"):
        period = Period.objects.filter(region=region, year=YEAR, kind=kind).first() or services.period_open(
            user=None,
            region=region,
            year=YEAR,
            kind=kind,
            above_from=Decimal("1.10"),
            meets_from=Decimal("0.90"),
            org_rating="baik",
        )
        found[kind] = period
    return found


@transaction.atomic
def seed_region(region: Region, rng: random.Random) -> None:
    unit = Unit.objects.get(region=region, code="BKPSDM")
    head = Employee.objects.get(unit=unit, supervisor__isnull=True)
    if Plan.objects.filter(employee=head, year=YEAR).exists():
        return  # already seeded
    periods = _periods(region)
    head_plan = _agreed_plan(
        head,
        [(t, None) for t in HEAD_RESULTS],
        lambda t: [("Indeks sistem merit", "indeks", Decimal("100"), Decimal("50"))],
    )
    head_results = list(head_plan.results.order_by("pk").values_list("pk", flat=True))
    chiefs = list(Employee.objects.filter(supervisor=head).order_by("pk"))
    staff_all: list[Employee] = []
    for chief in chiefs:
        chief_plan = _agreed_plan(
            chief,
            [(t, head_results[i]) for t, i in CHIEF_RESULTS],
            lambda t: [("Persentase layanan selesai tepat waktu", "persen", Decimal("100"), Decimal("50"))],
        )
        chief_results = list(chief_plan.results.order_by("pk").values_list("pk", flat=True))
        for member in Employee.objects.filter(supervisor=chief).order_by("pk"):
            _agreed_plan(
                member,
                [("Terlaksananya verifikasi dan pemutakhiran data kepegawaian", chief_results[0])],
                lambda t: STAFF_KPIS,
            )
            staff_all.append(member)

    # Daily logs on working days since July, in the staff's local calendar.
    today = timezone.now().astimezone(region.tzinfo).date()
    days = _working_days(LOG_START, today - dt.timedelta(days=1))
    tw3_days = len(_working_days(LOG_START, periods["tw3"].end))
    logs: list[ActivityLog] = []
    for n, member in enumerate(staff_all):
        # Every fifth employee is a top performer, so the awards list and the talent pool have names.
        factor = Decimal("1.35") if n % 5 == 0 else Decimal(str(rng.choice([0.8, 0.95, 1.05, 1.2, 1.35])))
        indicators = list(Indicator.objects.filter(result__plan__employee=member).order_by("pk"))
        for i, day in enumerate(days):
            if rng.random() < 0.08:
                continue  # leave, training, field work without a log
            ind = indicators[i % len(indicators)]
            # Quantities that reach factor × the Triwulan III target (3/4 of the year) by 30 September.
            per_log = (ind.target * Decimal("0.75") * len(indicators) / tw3_days * factor).quantize(
                Decimal("1")
            )
            logs.append(
                ActivityLog(
                    employee=member,
                    indicator=ind,
                    date=day,
                    quantity=max(per_log, Decimal("1")),
                    duration_minutes=rng.choice([60, 90, 120, 180, 240]),
                    description=rng.choice(DESCRIPTIONS),
                )
            )
    ActivityLog.objects.bulk_create(logs, batch_size=2000)

    # Reviews: everything up to two weeks ago is reviewed (a few returned with comments).
    cutoff = today - dt.timedelta(days=14)
    for chief in chiefs:
        team_logs = list(
            ActivityLog.objects.filter(employee__supervisor=chief, date__lte=cutoff)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
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

    # Triwulan I-III are appraised and closed; Triwulan IV-Akhir stays open.
    values = [c for c, _l in BerAKHLAK.choices]
    for n, member in enumerate(staff_all):
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
            supervisor=member.supervisor, employee=member, period=periods["tw3"], behaviour=behaviour
        )
    for kind in ("tw1", "tw2", "tw3"):
        if not periods[kind].is_closed:
            services.period_close(period=periods[kind])

    # Potentials recorded by HR for the talent map.
    for employee in [head, *chiefs, *staff_all]:
        services.potential_record(
            user=None, employee=employee, year=YEAR, potential=rng.choice([p for p, _l in Potential.choices])
        )


def seed(*, rng: random.Random) -> list:
    for region in Region.objects.order_by("pk"):
        if Unit.objects.filter(region=region, code="BKPSDM").exists():
            seed_region(region, rng)
    return []
