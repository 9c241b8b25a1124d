"""Deterministic, idempotent demo data for training, around the day it runs: national and regional
programmes, sessions that are past (completed this year where the year is old enough, with JP and
certificates), allocated, open and upcoming, in every region."""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from asnportal.org.demo import demo_today, working_days
from asnportal.org.models import Employee, Region

from . import services
from .models import Competency, Enrollment, Material, Programme, Session
from .seeds import training_reference_ensure

NATIONAL = [
    # title, kind, mode, JP, competencies, description
    (
        "Orientasi Nilai Dasar BerAKHLAK",
        "technical",
        "online",
        8,
        ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif"],
        "Kelas daring nasional tentang tujuh nilai dasar ASN BerAKHLAK dan penerapannya sehari-hari.",
    ),
    (
        "Literasi Digital untuk ASN",
        "technical",
        "online",
        16,
        ["literasi_digital", "adaptif"],
        "Keamanan data, tanda tangan elektronik, dan kolaborasi daring dalam layanan pemerintahan.",
    ),
    (
        "Pelatihan Kepemimpinan Administrator (PKA)",
        "pka",
        "blended",
        60,
        ["kepemimpinan", "kolaboratif", "akuntabel"],
        "Pelatihan kepemimpinan nasional untuk pejabat administrator: proyek perubahan dan kinerja unit.",
    ),
]
REGIONAL = [
    (
        "Pelayanan Prima",
        "technical",
        "classroom",
        24,
        ["berorientasi_pelayanan", "harmonis"],
        "Standar pelayanan, penanganan pengaduan, dan survei kepuasan masyarakat (SKM).",
    ),
    (
        "Pengelolaan Keuangan Daerah",
        "functional",
        "blended",
        32,
        ["keuangan_daerah", "akuntabel"],
        "Penatausahaan keuangan, SIPD, dan pertanggungjawaban anggaran perangkat daerah.",
    ),
    (
        "Analisis Data untuk Perencanaan",
        "technical",
        "online",
        20,
        ["analisis_data", "kompeten"],
        "Mengolah data kepegawaian dan layanan untuk perencanaan berbasis bukti.",
    ),
]


def _programme(region, title, kind, mode, jp, codes, description) -> Programme:
    programme = Programme.objects.filter(region=region, title=title).first()
    if programme is None:
        programme = services.programme_save(
            programme=Programme(
                region=region, title=title, kind=kind, mode=mode, jp=jp, description=description
            ),
            competencies=list(Competency.objects.filter(code__in=codes)),
        )
        Material.objects.create(
            programme=programme,
            title=f"Modul {title}",
            url="https://lms.example.go.id/modul/" + str(programme.pk),
        )
    return programme


def _session(
    programme, region, name, *, start, days, opens, closes, capacity, trainer, place
) -> tuple[Session, bool]:
    existing = Session.objects.filter(programme=programme, region=region, name=name).first()
    if existing:
        return existing, False
    session = services.session_save(
        session=Session(
            programme=programme,
            region=region,
            name=name,
            start_date=start,
            end_date=start + dt.timedelta(days=days - 1),
            enroll_opens=opens,
            enroll_closes=closes,
            capacity=capacity,
            trainer=trainer,
            place=place if programme.mode != "online" else "",
            link="https://zoom.example.go.id/pelatihan" if programme.mode != "classroom" else "",
        )
    )
    return session, True


def past_start(today: dt.date, days_ago: int, length: int, *, not_before: dt.date | None = None) -> dt.date:
    """The start of a past session of `length` days about `days_ago` days back, moved into this year
    (from its first working day, and after `not_before`) while it still ends before today; in the
    first days of January it stays at the end of last year."""
    first_working_day = working_days(dt.date(today.year, 1, 2), dt.date(today.year, 1, 8))[0]
    start = max(today - dt.timedelta(days=days_ago), first_working_day, not_before or first_working_day)
    if start + dt.timedelta(days=length) < today:
        return start
    return today - dt.timedelta(days=days_ago)


def _request(session, people) -> None:
    Enrollment.objects.bulk_create(
        [Enrollment(session=session, employee=p, requested_at=timezone.now()) for p in people],
        ignore_conflicts=True,
    )


def _run_past(session, people, rng, absentees=1) -> None:
    """Allocate, record attendance (a few miss days), close, and leave some feedback."""
    _request(session, people)
    services.session_allocate(session_id=session.pk, seed=rng.randrange(1, 10**9), notify=False)
    admitted = list(session.enrollments.filter(status=Enrollment.Status.ADMITTED).order_by("pk"))
    missing = {e.pk for e in rng.sample(admitted, min(absentees, len(admitted)))}
    for day in session.days():
        present = {e.pk for e in admitted if e.pk not in missing or day == session.start_date}
        services.attendance_record(session=session, day=day, present_ids=present, user=None)
    services.session_complete(session_id=session.pk)
    comments = [
        "Materi sangat relevan dengan pekerjaan.",
        "Pelatih menguasai materi.",
        "",
        "Waktu terlalu singkat.",
    ]
    for enrollment in session.enrollments.filter(status=Enrollment.Status.COMPLETED).order_by("pk")[:6]:
        services.feedback_submit(
            enrollment=enrollment,
            session_rating=rng.randint(3, 5),
            trainer_rating=rng.randint(3, 5),
            comment=rng.choice(comments),
        )


@dataclass
class _Region:
    """What every demo session of a region is built from."""

    region: Region
    today: dt.date
    rng: random.Random
    me: Employee | None
    boss: Employee | None
    others: list[Employee]
    trainer: str
    place: str


def _region_cast(region: Region, rng: random.Random, staff: list[Employee]) -> _Region:
    me = Employee.objects.filter(region=region, user__username=f"pegawai.{region.code}").first()
    boss = Employee.objects.filter(region=region, user__username=f"atasan.{region.code}").first()
    trainer = {"bengkulu": "Drs. Hasan Basri, M.Si.", "sorong": "Yakobus Mambrasar, S.E., M.M."}.get(
        region.code, "Dr. Ratna Sari, M.AP."
    )
    return _Region(
        region=region,
        today=demo_today(region),
        rng=rng,
        me=me,
        boss=boss,
        others=[e for e in staff if e not in (me, boss)],
        trainer=trainer,
        place=f"Aula BKPSDM {region.name}",
    )


def _seed_past(c: _Region, regional: dict, national: dict) -> None:
    """Two past sessions: Pelayanan Prima two months ago (the demo staff gets 24 JP and a
    certificate) and the national digital literacy class, online for this region a month ago."""
    start = past_start(c.today, 60, 3)
    session, created = _session(
        regional["Pelayanan Prima"],
        c.region,
        "Angkatan I",
        start=start,
        days=3,
        opens=start - dt.timedelta(days=30),
        closes=start - dt.timedelta(days=10),
        capacity=25,
        trainer=c.trainer,
        place=c.place,
    )
    if created:
        people = [c.me, *c.rng.sample(c.others, 24)] if c.me else c.rng.sample(c.others, 25)
        _run_past(session, people, c.rng, absentees=2)
    start = past_start(c.today, 30, 2, not_before=session.end_date + dt.timedelta(days=3))
    session, created = _session(
        national["Literasi Digital untuk ASN"],
        c.region,
        f"Kelas {c.region.name} I",
        start=start,
        days=2,
        opens=start - dt.timedelta(days=25),
        closes=start - dt.timedelta(days=10),
        capacity=30,
        trainer="Tim Pusbangkom ASN",
        place=c.place,
    )
    if created:
        _run_past(session, c.rng.sample(c.others, 22), c.rng)


def _seed_allocated(c: _Region, regional: dict) -> None:
    """Keuangan Daerah, oversubscribed (15 requests for 8 seats), allocated, starts next week."""
    session, created = _session(
        regional["Pengelolaan Keuangan Daerah"],
        c.region,
        "Angkatan I",
        start=c.today + dt.timedelta(days=7),
        days=4,
        opens=c.today - dt.timedelta(days=20),
        closes=c.today - dt.timedelta(days=3),
        capacity=8,
        trainer=c.trainer,
        place=c.place,
    )
    if created:
        requesters = c.rng.sample(c.others, 14) + ([c.boss] if c.boss else [])
        _request(session, requesters)
        services.session_allocate(session_id=session.pk, seed=c.rng.randrange(1, 10**9), notify=False)


def _seed_ahead(c: _Region, regional: dict, national: dict) -> None:
    """Analisis Data collecting requests (the demo staff can still ask for a seat), and the
    national BerAKHLAK orientation whose enrollment opens next week."""
    session, created = _session(
        regional["Analisis Data untuk Perencanaan"],
        c.region,
        "Angkatan I",
        start=c.today + dt.timedelta(days=21),
        days=3,
        opens=c.today - dt.timedelta(days=3),
        closes=c.today + dt.timedelta(days=10),
        capacity=15,
        trainer=c.trainer,
        place=c.place,
    )
    if created:
        _request(session, c.rng.sample(c.others, 6))
    _session(
        national["Orientasi Nilai Dasar BerAKHLAK"],
        c.region,
        f"Kelas {c.region.name} I",
        start=c.today + dt.timedelta(days=35),
        days=1,
        opens=c.today + dt.timedelta(days=5),
        closes=c.today + dt.timedelta(days=25),
        capacity=100,
        trainer="Tim Pusbangkom ASN",
        place=c.place,
    )


@transaction.atomic
def seed_region(region: Region, rng: random.Random, national: dict[str, Programme]) -> None:
    staff = list(Employee.objects.filter(region=region, status=Employee.Status.ACTIVE).order_by("pk"))
    if not staff:
        return
    cast = _region_cast(region, rng, staff)
    regional = {t[0]: _programme(region, *t) for t in REGIONAL}
    _seed_past(cast, regional, national)
    _seed_allocated(cast, regional)
    _seed_ahead(cast, regional, national)


def seed(*, rng: random.Random) -> list:
    training_reference_ensure()
    national = {t[0]: _programme(None, *t) for t in NATIONAL}
    regions = list(Region.objects.order_by("pk"))
    for region in regions:
        seed_region(region, rng, national)
    # The national leadership class (PKA, for administrators) runs in the first region, open to all.
    first = regions[0] if regions else None
    if first:
        today = demo_today(first)
        _session(
            national["Pelatihan Kepemimpinan Administrator (PKA)"],
            first,
            "Angkatan Nasional I",
            start=today + dt.timedelta(days=45),
            days=10,
            opens=today - dt.timedelta(days=5),
            closes=today + dt.timedelta(days=20),
            capacity=30,
            trainer="Lembaga Administrasi Negara",
            place=f"BPSDM {first.name}",
        )
    return []
