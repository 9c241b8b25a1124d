"""Deterministic, idempotent demo data for training, around the day it runs: national and regional
programmes, sessions that are past (completed this year where the year is old enough, with JP and
certificates), allocated, open and upcoming, in every region."""

import datetime as dt
import random

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


@transaction.atomic
def seed_region(region: Region, rng: random.Random, national: dict[str, Programme]) -> None:
    today = demo_today(region)
    staff = list(Employee.objects.filter(region=region, status=Employee.Status.ACTIVE).order_by("pk"))
    if not staff:
        return
    me = Employee.objects.filter(region=region, user__username=f"pegawai.{region.code}").first()
    boss = Employee.objects.filter(region=region, user__username=f"atasan.{region.code}").first()
    others = [e for e in staff if e not in (me, boss)]
    regional = {t[0]: _programme(region, *t) for t in REGIONAL}
    trainer = {"bengkulu": "Drs. Hasan Basri, M.Si.", "sorong": "Yakobus Mambrasar, S.E., M.M."}.get(
        region.code, "Dr. Ratna Sari, M.AP."
    )
    place = f"Aula BKPSDM {region.name}"

    # Past: Pelayanan Prima, two months ago, completed (the demo staff gets 24 JP and a certificate).
    start = past_start(today, 60, 3)
    session, created = _session(
        regional["Pelayanan Prima"],
        region,
        "Angkatan I",
        start=start,
        days=3,
        opens=start - dt.timedelta(days=30),
        closes=start - dt.timedelta(days=10),
        capacity=25,
        trainer=trainer,
        place=place,
    )
    if created:
        _run_past(session, [me, *rng.sample(others, 24)] if me else rng.sample(others, 25), rng, absentees=2)

    # Past: the national digital literacy class, held online for this region a month ago.
    start = past_start(today, 30, 2, not_before=session.end_date + dt.timedelta(days=3))
    session, created = _session(
        national["Literasi Digital untuk ASN"],
        region,
        f"Kelas {region.name} I",
        start=start,
        days=2,
        opens=start - dt.timedelta(days=25),
        closes=start - dt.timedelta(days=10),
        capacity=30,
        trainer="Tim Pusbangkom ASN",
        place=place,
    )
    if created:
        _run_past(session, rng.sample(others, 22), rng)

    # Allocated: Keuangan Daerah, oversubscribed (15 requests for 8 seats), starts next week.
    session, created = _session(
        regional["Pengelolaan Keuangan Daerah"],
        region,
        "Angkatan I",
        start=today + dt.timedelta(days=7),
        days=4,
        opens=today - dt.timedelta(days=20),
        closes=today - dt.timedelta(days=3),
        capacity=8,
        trainer=trainer,
        place=place,
    )
    if created:
        requesters = rng.sample(others, 14) + ([boss] if boss else [])
        _request(session, requesters)
        services.session_allocate(session_id=session.pk, seed=rng.randrange(1, 10**9), notify=False)

    # Open: Analisis Data, requests being collected (the demo staff can still ask for a seat).
    session, created = _session(
        regional["Analisis Data untuk Perencanaan"],
        region,
        "Angkatan I",
        start=today + dt.timedelta(days=21),
        days=3,
        opens=today - dt.timedelta(days=3),
        closes=today + dt.timedelta(days=10),
        capacity=15,
        trainer=trainer,
        place=place,
    )
    if created:
        _request(session, rng.sample(others, 6))

    # Upcoming: the national BerAKHLAK orientation, enrollment opens next week.
    _session(
        national["Orientasi Nilai Dasar BerAKHLAK"],
        region,
        f"Kelas {region.name} I",
        start=today + dt.timedelta(days=35),
        days=1,
        opens=today + dt.timedelta(days=5),
        closes=today + dt.timedelta(days=25),
        capacity=100,
        trainer="Tim Pusbangkom ASN",
        place=place,
    )


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
