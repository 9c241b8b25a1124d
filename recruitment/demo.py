"""Demo data: one CASN selection per region, run through every stage (deterministic, idempotent).

Built around the day it runs: the selection is of this year, registered 40 days ago, SKD two weeks
ago, SKB this week, the final announcement in ten days, the objection window open now."""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from asnportal.accounts.models import Role, RoleAssignment, User
from asnportal.org.demo import DEMO_PASSWORD, demo_today
from asnportal.org.models import Position, Region, Unit

from . import services
from .models import (
    Announcement,
    ApplicantProfile,
    Application,
    ObserverAssignment,
    PanelAssignment,
    ScheduleItem,
    Selection,
    Stage,
)

DEMO_NAME = "Seleksi CASN Demo"
APPLICANTS_PER_REGION = 20
FORMATIONS = [
    # (unit code, position name, education, quota)
    ("BKPSDM", "Analis Sumber Daya Manusia Aparatur", "S1 Psikologi / Manajemen SDM", 1),
    ("DINKES", "Perawat", "D3 Keperawatan", 2),
    ("SETDA", "Pengadministrasi Perkantoran", "SMA/SMK sederajat", 1),
]
FIRST = [
    "Ahmad",
    "Siti",
    "Rina",
    "Budi",
    "Dewi",
    "Yohanes",
    "Maria",
    "Fajar",
    "Nur",
    "Petrus",
    "Putri",
    "Rizki",
]
LAST = [
    "Saputra",
    "Wijaya",
    "Rahman",
    "Kambu",
    "Lubis",
    "Mambrasar",
    "Hidayat",
    "Sihombing",
    "Putra",
    "Malak",
]


def _nik(rng: random.Random, birth: dt.date, female: bool) -> str:
    day = birth.day + (40 if female else 0)
    return f"{rng.randint(11, 94)}{rng.randint(1000, 9999)}{day:02d}{birth:%m%y}{rng.randint(1, 9999):04d}"


def _applicant(username: str, full_name: str, password_hash: str) -> User:
    # The same three records as services.applicant_register, with one precomputed hash: hashing a
    # password 60 times would slow the demo start by half a minute.
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@demo.asn.local", "first_name": full_name, "password": password_hash},
    )
    RoleAssignment.objects.get_or_create(user=user, role=Role.APPLICANT, region=None)
    ApplicantProfile.objects.get_or_create(user=user, defaults={"full_name": full_name})
    return user


def _fill_profile(rng: random.Random, user: User, full_name: str) -> None:
    profile = ApplicantProfile.objects.get(user=user)
    if profile.is_complete:
        return
    female = rng.random() < 0.5
    # Aged 23 to 35 this year (the requirement text), on a day every month has.
    year = demo_today().year
    birth = dt.date(rng.randint(year - 35, year - 23), rng.randint(1, 12), rng.randint(1, 28))
    services.applicant_profile_update(
        profile=profile,
        full_name=full_name,
        nik=_nik(rng, birth, female),
        birth_date=birth,
        address=f"Jl. Pahlawan No. {rng.randint(1, 200)}",
        phone=f"08{rng.randint(100000000, 999999999)}",
        education="S1",
    )


def _skd_scores(rng: random.Random, strong: bool) -> tuple[int, int, int]:
    if strong:
        return rng.randint(70, 140) // 5 * 5, rng.randint(85, 160) // 5 * 5, rng.randint(168, 215)
    return rng.choice(
        [(rng.randint(40, 64) // 5 * 5, 95, 180), (90, rng.randint(50, 79) // 5 * 5, 175), (85, 100, 160)]
    )


def _seed_region(region: Region, rng: random.Random, password_hash: str) -> None:
    """The region's demo selection, run through every stage by the services (once per region)."""
    if Selection.objects.filter(region=region, name=DEMO_NAME).exists():
        return
    staff = {
        role: User.objects.get(username=f"{role}.{region.code}") for role in ("bkpsdm", "pengamat", "penguji")
    }
    hr, observer = staff["bkpsdm"], staff["pengamat"]
    selection = _open_selection(region, hr)
    _schedule_and_announce(selection, observer=observer, panel=staff["penguji"])
    applications = _apply(region, selection, rng, password_hash)
    screened_in = _screen(applications, hr)
    _skd(selection, screened_in, rng, hr)
    services.stage_signoff(
        selection=selection, stage=Stage.ADMINISTRATION, observer=observer, note="Sesuai berkas"
    )
    services.stage_signoff(
        selection=selection, stage=Stage.SKD, observer=observer, note="Sesuai hasil CAT BKN"
    )
    _skb(selection, rng, staff["penguji"])
    if region.code != "bungo":  # Bungo's SKB sheet still awaits the observer
        services.stage_signoff(selection=selection, stage=Stage.SKB, observer=observer)
    _observe_and_object(selection, screened_in, observer=observer, hr=hr)


def _open_selection(region: Region, hr: User) -> Selection:
    today, now = demo_today(), timezone.now()
    specs = []
    for unit_code, position_name, education, quota in FORMATIONS:
        unit = Unit.objects.get(region=region, code=unit_code)
        position = Position.objects.filter(region=region, name=position_name).first()
        specs.append({"position_id": position.pk, "unit_id": unit.pk, "education": education, "quota": quota})
    return services.selection_create(
        region=region,
        year=today.year,
        name=DEMO_NAME,
        created_by=hr,
        formations=specs,
        requirements="Warga Negara Indonesia; usia 18-35 tahun; ijazah sesuai formasi; tidak pernah dipidana.",
        registration_opens=today - dt.timedelta(days=40),
        registration_closes=today + dt.timedelta(days=20),
        objection_opens=now - dt.timedelta(days=1),
        objection_closes=now + dt.timedelta(days=6),
    )


def _schedule_and_announce(selection: Selection, *, observer: User, panel: User) -> None:
    today, now = demo_today(), timezone.now()
    for stage, start, days, place in [
        (Stage.ADMINISTRATION, -30, 7, "BKPSDM"),
        (Stage.SKD, -14, 3, "Kantor Regional BKN"),
        (Stage.SKB, -5, 4, "Aula BKPSDM"),
        (Stage.FINAL, 10, 1, ""),
    ]:
        ScheduleItem.objects.create(
            selection=selection,
            stage=stage,
            starts_on=today + dt.timedelta(days=start),
            ends_on=today + dt.timedelta(days=start + days),
            location=place,
        )
    for title, body, days_ago in [
        (
            "Pengumuman hasil seleksi administrasi",
            "Peserta yang memenuhi syarat administrasi dapat mengikuti SKD sesuai jadwal.",
            20,
        ),
        ("Pengumuman hasil SKD", "Hasil SKD diumumkan; masa sanggah dibuka selama satu minggu.", 1),
    ]:
        Announcement.objects.create(
            selection=selection, title=title, body=body, published_at=now - dt.timedelta(days=days_ago)
        )
    for model, user in ((ObserverAssignment, observer), (PanelAssignment, panel)):
        model.objects.create(
            selection=selection,
            user=user,
            valid_from=today - dt.timedelta(days=45),
            valid_until=today + dt.timedelta(days=90),
        )


def _apply(region: Region, selection: Selection, rng: random.Random, password_hash: str) -> list[Application]:
    formations = list(selection.formations.order_by("pk"))
    applications: list[Application] = []
    for i in range(APPLICANTS_PER_REGION):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        user = _applicant(f"pelamar.{region.code}.{i + 1:02d}", name, password_hash)
        _fill_profile(rng, user, name)
        applications.append(services.application_submit(user=user, formation=formations[i % len(formations)]))
    if region.code == "bengkulu":
        demo = User.objects.get(username="pelamar")
        ApplicantProfile.objects.get_or_create(user=demo, defaults={"full_name": "Pelamar Demo"})
        _fill_profile(rng, demo, "Pelamar Demo")
        applications.append(services.application_submit(user=demo, formation=formations[0]))
    return applications


def _screen(applications: list[Application], hr: User) -> list[Application]:
    screened_in = []
    for index, application in enumerate(applications):
        met = application.user.username == "pelamar" or index % 7 != 3
        reason = "Berkas lengkap dan sesuai formasi" if met else "Ijazah tidak sesuai kualifikasi formasi"
        services.screening_decide(application=application, met=met, reason=reason, by=hr)
        if met:
            screened_in.append(application)
    return screened_in


def _skd(selection: Selection, screened_in: list[Application], rng: random.Random, hr: User) -> None:
    rows = []
    for line, application in enumerate(screened_in, start=2):
        strong = application.user.username == "pelamar" or rng.random() < 0.7
        twk, tiu, tkp = _skd_scores(rng, strong)
        rows.append(
            {
                "line": line,
                "participant_number": application.participant_number,
                "twk": twk,
                "tiu": tiu,
                "tkp": tkp,
            }
        )
    services.skd_import(selection=selection, rows=rows, by=hr)


def _skb(selection: Selection, rng: random.Random, panel: User) -> None:
    advancing = list(
        Application.objects.filter(selection=selection, status=Application.Status.SKD_PASSED).order_by("pk")
    )
    if advancing:
        services.conflict_declare(
            application=advancing[-1], panel_member=panel, relationship="kerja", note="Pernah satu kantor"
        )
    for application in advancing[:-1]:
        items = {key: Decimal(rng.randint(60, 95)) for key in ("technical", "managerial", "interview")}
        services.skb_score_record(application=application, panel_member=panel, items=items)


def _observe_and_object(
    selection: Selection, screened_in: list[Application], *, observer: User, hr: User
) -> None:
    services.observation_record(
        selection=selection,
        observer=observer,
        observed_at=timezone.now() - dt.timedelta(days=13),
        stage=Stage.SKD,
        location="Ruang CAT 2",
        finding="Dua komputer peserta sempat mati; waktu ujian diganti penuh sesuai prosedur.",
        severity="minor",
    )
    objector = next((a for a in screened_in if a.user.username != "pelamar"), None)
    if objector:
        objection = services.objection_file(
            application=objector, stage=Stage.SKD, text="Mohon pemeriksaan ulang nilai TKP saya."
        )
        services.objection_answer(
            objection=objection,
            accepted=False,
            text="Nilai telah diperiksa ulang terhadap berkas CAT BKN dan sudah sesuai.",
            by=hr,
        )


def seed(*, rng: random.Random) -> list:
    password_hash = make_password(DEMO_PASSWORD)
    # Status emails are for real applicants: the demo's fake ones go nowhere.
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        for region in Region.objects.order_by("pk"):
            if Unit.objects.filter(region=region, code="BKPSDM").exists():
                _seed_region(region, rng, password_hash)
    return [
        (f"pelamar.{r.code}.01", str(Role.APPLICANT.label), r.name) for r in Region.objects.order_by("pk")
    ]
