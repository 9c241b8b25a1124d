"""Deterministic demo data for the organisation core: units, positions, employees and accounts.

Also the calendar helpers every demo module builds its dates with: the demo is built around the day
it runs (DESIGN.md §2 Time), so nothing here names a year, and dates move only by whole days, months
of known length or quarters (no date.replace(year=...), which fails on 29 February).
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from asnportal.accounts.models import Role, RoleAssignment, User

from .models import Employee, Position, PositionKind, PositionLevel, Region, Unit
from .nip import FEMALE, MALE, nip_build

DEMO_PASSWORD = "Demo-ASN-2026"  # noqa: S105 - published demo accounts on a local demo database

FIRST_M = [
    "Ahmad",
    "Budi",
    "Dedi",
    "Eko",
    "Fajar",
    "Hendra",
    "Irfan",
    "Joko",
    "Rudi",
    "Yusuf",
    "Agus",
    "Bayu",
    "Dimas",
    "Rizki",
    "Andi",
    "Markus",
    "Yohanes",
    "Petrus",
    "Arif",
    "Taufik",
]
FIRST_F = [
    "Siti",
    "Dewi",
    "Rina",
    "Ani",
    "Lestari",
    "Maria",
    "Yuliana",
    "Nur",
    "Putri",
    "Wulan",
    "Ratna",
    "Fitri",
    "Indah",
    "Sri",
    "Agustina",
    "Novi",
    "Mega",
    "Rahmawati",
    "Yohana",
    "Elisabeth",
]
LAST = [
    "Saputra",
    "Wijaya",
    "Hidayat",
    "Pratama",
    "Siregar",
    "Nasution",
    "Kurniawan",
    "Rahman",
    "Simanjuntak",
    "Sihombing",
    "Kambu",
    "Mambrasar",
    "Rumbiak",
    "Fatem",
    "Malak",
    "Putra",
    "Lubis",
    "Harahap",
    "Gultom",
    "Susanto",
    "Setiawan",
    "Hakim",
    "Syahputra",
    "Rumaropen",
]

UNITS = [
    ("SETDA", "Sekretariat Daerah"),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"),
    ("DINKES", "Dinas Kesehatan"),
    ("DISDIK", "Dinas Pendidikan dan Kebudayaan"),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah"),
]
# (name, kind, level, rank range) — one head, two section heads and staff per unit.
HEAD = ("Kepala {unit}", PositionKind.JPT_PRATAMA, "", ("IV/c", "IV/d"))
SECTION = ("Kepala Bidang {unit}", PositionKind.ADMINISTRATOR, "", ("IV/a", "IV/b"))
STAFF_POSITIONS = [
    (
        "Analis Sumber Daya Manusia Aparatur",
        PositionKind.FUNGSIONAL_KEAHLIAN,
        PositionLevel.AHLI_PERTAMA,
        ("III/a", "III/b"),
    ),
    ("Analis Kebijakan", PositionKind.FUNGSIONAL_KEAHLIAN, PositionLevel.AHLI_MUDA, ("III/c", "III/d")),
    ("Perawat", PositionKind.FUNGSIONAL_KETERAMPILAN, PositionLevel.TERAMPIL, ("II/c", "II/d")),
    ("Pengadministrasi Perkantoran", PositionKind.PELAKSANA, "", ("II/a", "II/b")),
    ("Penata Layanan Operasional", PositionKind.PELAKSANA, "", ("III/a", "III/b")),
]
STAFF_PER_SECTION = 5


# --- the demo's calendar ------------------------------------------------------------------------


def demo_today(region: Region | None = None) -> dt.date:
    """The day the demo is built around: today in the region's time zone, or the site's."""
    if region is None:
        return timezone.localdate()
    return timezone.localdate(timezone=region.tzinfo)


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * (quarter_of(day) - 1) + 1, 1)


def quarter_shift(start: dt.date, n: int) -> dt.date:
    """The first day of the quarter n quarters after (n < 0: before) the one starting at `start`."""
    index = start.year * 4 + quarter_of(start) - 1 + n
    return dt.date(index // 4, 3 * (index % 4) + 1, 1)


def quarter_end(start: dt.date) -> dt.date:
    return quarter_shift(start, 1) - dt.timedelta(days=1)


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Monday to Friday from start to end, both included."""
    return [
        start + dt.timedelta(days=i)
        for i in range((end - start).days + 1)
        if (start + dt.timedelta(days=i)).weekday() < 5
    ]


# --- the organisation ---------------------------------------------------------------------------


def _name(rng: random.Random, sex: str) -> str:
    first = rng.choice(FIRST_M if sex == MALE else FIRST_F)
    return f"{first} {rng.choice(LAST)}"


def _position(region: Region, name: str, kind: str, level: str) -> Position:
    position, _created = Position.objects.get_or_create(
        region=region, name=name, level=level, defaults={"kind": kind}
    )
    return position


def _employee(rng, region, unit, position, rank_range, supervisor, sequence, remote) -> Employee:
    # Aged 28 to 60 this year, in service (TMT CPNS) since at least two years ago; day 1-28 exists in
    # every month, so the birth date is a real date whatever the year.
    year = demo_today(region).year
    sex = rng.choice([MALE, FEMALE])
    birth = dt.date(rng.randint(year - 60, year - 28), rng.randint(1, 12), rng.randint(1, 28))
    tmt = dt.date(min(birth.year + rng.randint(22, 30), year - 2), rng.randint(1, 12), 1)
    nip = nip_build(birth_date=birth, tmt_cpns=tmt, sex=sex, sequence=sequence)
    employee = Employee(
        region=region,
        unit=unit,
        position=position,
        supervisor=supervisor,
        nip=nip,
        name=_name(rng, sex),
        kind=Employee.Kind.PNS,
        rank=rng.choice(rank_range),
        is_remote=remote,
        phone=f"08{rng.randint(100000000, 999999999)}",
        nik=f"{rng.randint(11, 94)}{rng.randint(1000, 9999)}{birth:%d%m%y}{rng.randint(1, 9999):04d}",
    )
    employee.full_clean()
    employee.save()
    return employee


def _user(username: str, full_name: str, role: str | None = None, region: Region | None = None) -> User:
    first, _sep, last = full_name.partition(" ")
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.asn.local"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    if role:
        RoleAssignment.objects.get_or_create(user=user, role=role, region=region)
    return user


def _seed_organisation(region: Region, rng: random.Random) -> None:
    """The region's units, each with a head, two section chiefs and their staff."""
    sequence = 1
    remote_units = {"DINKES", "DISDIK"} if region.code != "bengkulu" else {"DINKES"}
    for code, unit_name in UNITS:
        unit = Unit.objects.create(region=region, code=code, name=unit_name)
        sequence = _seed_unit(region, rng, unit, remote=code in remote_units, sequence=sequence)


def _seed_unit(region: Region, rng: random.Random, unit: Unit, *, remote: bool, sequence: int) -> int:
    """One unit's people, NIP sequence numbers from `sequence` on; returns the next free one."""
    code = unit.code
    head = _employee(
        rng,
        region,
        unit,
        _position(region, HEAD[0].format(unit=code), HEAD[1], HEAD[2]),
        HEAD[3],
        None,
        sequence,
        False,
    )
    sequence += 1
    for section in range(2):
        pos = _position(region, SECTION[0].format(unit=code) + f" {section + 1}", SECTION[1], SECTION[2])
        chief = _employee(rng, region, unit, pos, SECTION[3], head, sequence, False)
        sequence += 1
        for i in range(STAFF_PER_SECTION):
            name, kind, level, ranks = STAFF_POSITIONS[(i + section) % len(STAFF_POSITIONS)]
            _employee(
                rng,
                region,
                unit,
                _position(region, name, kind, level),
                ranks,
                chief,
                sequence,
                remote and i % 2 == 0,
            )
            sequence += 1
    return sequence


@transaction.atomic
def seed_region(region: Region, rng: random.Random) -> list[tuple[str, str, str]]:
    """Build one region's organisation; returns (username, role label, region) for the printed list."""
    accounts: list[tuple[str, str, str]] = []
    if not region.employees.exists():
        _seed_organisation(region, rng)
    # Link demo accounts to one staff member and their supervisor in BKPSDM.
    bkpsdm = Unit.objects.get(region=region, code="BKPSDM")
    staff = Employee.objects.filter(unit=bkpsdm, supervisor__supervisor__isnull=False).order_by("pk").first()
    chief = staff.supervisor
    code = region.code
    for employee, username, label in [
        (staff, f"pegawai.{code}", "Pegawai ASN"),
        (chief, f"atasan.{code}", "Atasan langsung"),
    ]:
        if employee.user_id is None:
            employee.user = _user(username, employee.name)
            employee.save(update_fields=["user"])
        accounts.append((employee.user.username, label, region.name))
    for role, prefix, label in [
        # the names in the top bar are Indonesian (issue 21): "Petugas BKPSDM Provinsi Bengkulu"
        (Role.HR_OFFICER, "bkpsdm", "Petugas BKPSDM"),
        (Role.REGIONAL_HEAD, "kepala", "Kepala Daerah"),
        (Role.OBSERVER, "pengamat", "Pengamat Independen"),
        (Role.PANEL_MEMBER, "penguji", "Penguji"),
    ]:
        _user(f"{prefix}.{code}", f"{label} {region.name}", role, region)
        accounts.append((f"{prefix}.{code}", label, region.name))
    return accounts


# A kota under Provinsi Bengkulu, so the province's dashboard has a regency to compare (issue 24);
# Sorong and Bungo belong to provinces that do not use the portal here (Papua Barat Daya, Jambi).
DEMO_REGENCIES = [("kota-bengkulu", "Kota Bengkulu", Region.Kind.CITY, "Asia/Jakarta", "bengkulu")]


def _demo_regencies() -> None:
    for code, name, kind, tz, parent in DEMO_REGENCIES:
        province = Region.objects.filter(code=parent, kind=Region.Kind.PROVINCE).first()
        if province is not None:
            region, _created = Region.objects.get_or_create(
                code=code, defaults={"name": name, "kind": kind, "timezone": tz, "parent": province}
            )
            region.full_clean()


def seed_core(rng: random.Random) -> list[tuple[str, str, str]]:
    accounts = []
    _demo_regencies()
    for region in Region.objects.order_by("pk"):
        accounts += seed_region(region, rng)
    _user("pelamar", "Pelamar Demo", Role.APPLICANT)
    accounts.append(("pelamar", "Pelamar", "-"))
    admin, created = User.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    accounts.append(("admin", "Admin sistem", "-"))
    return accounts
