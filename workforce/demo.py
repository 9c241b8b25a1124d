"""Demo data of workforce planning (idempotent): ABK for next year, service ratios and population
figures, an approved proposal of the current year and one past reassignment per region; the years
are counted from the day the demo runs (the current year and the one after).

Runs after asnportal.org.demo.seed_core (it uses its units and positions); the lead calls it from seed_demo.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from asnportal.org.demo import demo_today
from asnportal.org.models import Employee, Position, Region, Unit
from workforce.models import (
    FormationProposal,
    FormationProposalRow,
    RegionFigure,
    RegionPlanningSetting,
    ServiceRatio,
    StructureChange,
    WorkloadAnalysis,
    WorkloadTask,
)

from . import services, structure

# (unit code, position name, [(task, output, volume, standard time, unit)])
WORKLOADS = [
    (
        "DINKES",
        "Perawat",
        [
            ("Melaksanakan asuhan keperawatan dasar pada kelompok rentan", "Laporan asuhan", 9000, 25, "min"),
            ("Penyuluhan kesehatan masyarakat", "Kegiatan", 600, 2, "hour"),
            ("Pencatatan dan pelaporan program kesehatan", "Laporan", 1200, 45, "min"),
        ],
    ),
    (
        "BKPSDM",
        "Analis Sumber Daya Manusia Aparatur",
        [
            ("Verifikasi usul kenaikan pangkat", "Berkas", 1800, 40, "min"),
            ("Analisis kebutuhan formasi", "Dokumen", 24, 30, "hour"),
            ("Penyusunan peta jabatan", "Dokumen", 12, 40, "hour"),
            ("Layanan konsultasi kepegawaian", "Layanan", 2400, 20, "min"),
        ],
    ),
    (
        "DISDUKCAPIL",
        "Pengadministrasi Perkantoran",
        [
            ("Pelayanan perekaman KTP-el", "KTP-el", 24000, 6, "min"),
            ("Pengarsipan dokumen kependudukan", "Berkas", 15000, 4, "min"),
        ],
    ),
    (
        "DPMPTSP",
        "Penata Layanan Operasional",
        [
            ("Verifikasi berkas perizinan berusaha", "Berkas", 6000, 20, "min"),
            ("Peninjauan lapangan perizinan", "Kunjungan", 300, 3, "hour"),
        ],
    ),
]
# Population per region (BPS-like round figures) for the current and the planning year.
POPULATION = {"bengkulu": (2_086_000, 2_108_000), "sorong": (133_000, 136_000), "bungo": (381_000, 386_000)}
VOLUME_FACTOR = {"bengkulu": Decimal("1"), "sorong": Decimal("0.6"), "bungo": Decimal("0.8")}
RATIOS = [
    # name, measure, unit code, position name, staff, per
    (
        "Perawat program kesehatan masyarakat per penduduk",
        "population",
        "DINKES",
        "Perawat",
        Decimal("1"),
        250_000,
    ),
    (
        "Petugas pelayanan dokumen kependudukan per penduduk",
        "population",
        "DISDUKCAPIL",
        "Pengadministrasi Perkantoran",
        Decimal("1"),
        100_000,
    ),
]
DEMO_NOTE = "SK Kepala Daerah (demo): penguatan perencanaan wilayah"


def _position(region: Region, name: str) -> Position | None:
    return Position.objects.filter(region=region, name=name).order_by("pk").first()


def _seed_workloads(region: Region, units: dict[str, Unit], year: int) -> None:
    """The ABK of each demo position for the year, its volumes scaled to the region's size."""
    factor = VOLUME_FACTOR.get(region.code, Decimal("1"))
    for code, position_name, tasks in WORKLOADS:
        unit, position = units.get(code), _position(region, position_name)
        if unit is None or position is None:
            continue
        analysis, created = WorkloadAnalysis.objects.get_or_create(
            region=region, unit=unit, position=position, year=year
        )
        if created:
            WorkloadTask.objects.bulk_create(
                [
                    WorkloadTask(
                        analysis=analysis,
                        name=name,
                        output=output,
                        volume=(Decimal(volume) * factor).quantize(Decimal(1)),
                        standard_time=Decimal(time),
                        time_unit=time_unit,
                    )
                    for name, output, volume, time, time_unit in tasks
                ]
            )


def _seed_ratios(region: Region, units: dict[str, Unit], current_year: int, plan_year: int) -> None:
    """The population of both years and the service ratios that read it."""
    current, planned = POPULATION.get(region.code, (200_000, 202_000))
    for year, value in ((current_year, current), (plan_year, planned)):
        RegionFigure.objects.get_or_create(
            region=region, year=year, measure="population", defaults={"value": value, "source": "BPS (demo)"}
        )
    for name, measure, code, position_name, staff, per in RATIOS:
        unit, position = units.get(code), _position(region, position_name)
        if unit and position:
            ServiceRatio.objects.get_or_create(
                unit=unit,
                position=position,
                measure=measure,
                defaults={"region": region, "name": name, "staff": staff, "per": per},
            )


def _seed_region(region: Region) -> None:
    units = {u.code: u for u in Unit.objects.filter(region=region)}
    if not units:
        return
    today = demo_today(region)
    current_year, plan_year = today.year, today.year + 1
    RegionPlanningSetting.objects.get_or_create(region=region)
    _seed_workloads(region, units, plan_year)
    _seed_ratios(region, units, current_year, plan_year)
    _seed_proposal(region, units, current_year)
    _seed_restructuring(region, units, today)


def _seed_proposal(region: Region, units: dict, year: int) -> None:
    """An approved proposal of the current year, ready for recruitment to open a selection from."""
    if FormationProposal.objects.filter(region=region, year=year).exists():
        return
    proposal = FormationProposal.objects.create(region=region, year=year)
    rows = [
        ("DINKES", "Perawat", "D-III Keperawatan", 2, "Rasio perawat program dan beban kerja puskesmas."),
        ("DISDUKCAPIL", "Pengadministrasi Perkantoran", "SMA/SMK/D-III", 1, "Pelayanan KTP-el di kecamatan."),
        ("BKPSDM", "Analis Sumber Daya Manusia Aparatur", "S-1 Psikologi/Manajemen SDM", 1, "Hasil ABK."),
    ]
    for code, position_name, education, quota, why in rows:
        unit, position = units.get(code), _position(region, position_name)
        if unit and position:
            FormationProposalRow.objects.create(
                proposal=proposal,
                unit=unit,
                position=position,
                education=education,
                quota=quota,
                justification=why,
            )
    services.proposal_submit(proposal_id=proposal.pk)
    services.proposal_approve(proposal_id=proposal.pk, user=None)


def reassignment_date(today: dt.date) -> dt.date:
    """1 July of last year: in the past on any day, and after every demo employee's TMT CPNS
    (asnportal.org.demo keeps those at least two years back)."""
    return dt.date(today.year - 1, 7, 1)


def _seed_restructuring(region: Region, units: dict, today: dt.date) -> None:
    """One past bulk reassignment, so that the chart differs before and after 1 July of last year."""
    if StructureChange.objects.filter(region=region, note=DEMO_NOTE).exists():
        return
    source, target = units.get("BAPPEDA"), units.get("PUPR")
    if source is None or target is None:
        return
    movers = list(
        Employee.objects.filter(unit=source, status=Employee.Status.ACTIVE, position__kind="pelaksana")
        .order_by("pk")
        .values_list("pk", flat=True)[:2]
    )
    if movers:
        structure.employees_reassign(
            region=region,
            employee_ids=movers,
            unit_id=target.pk,
            effective_date=reassignment_date(today),
            note=DEMO_NOTE,
        )


@transaction.atomic
def seed(*, rng: random.Random) -> list:
    for region in Region.objects.order_by("pk"):
        _seed_region(region)
    return []
