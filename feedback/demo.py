"""Deterministic demo data around the day it runs: three service units per region, SKM responses of
the previous quarter and of the current one so far (so the trend shows), citizen input of the last
weeks in every state, extra questions and printed token batches. Idempotent: a service unit that
already exists is left as it is."""

import datetime as dt
import random

from django.db import transaction

from asnportal.org.demo import demo_today, quarter_of, quarter_shift, quarter_start
from asnportal.org.models import Region, Unit

from .models import (
    CitizenInput,
    ExtraAnswer,
    ExtraQuestion,
    Service,
    ServicePopulation,
    ServiceUnit,
    SurveyAnswer,
    SurveyResponse,
    SurveyToken,
    TokenBatch,
)
from .rules import ELEMENT_CODES
from .services import TOKEN_ALPHABET

# (unit code, name template, slug part, services, users per quarter (previous, current), quality,
# improvement)
UNITS = [
    (
        "DINKES",
        "Puskesmas {town}",
        "puskesmas",
        ["Poli Umum", "Kesehatan Ibu dan Anak", "Imunisasi"],
        (60, 70),
        3.1,
        0.25,
    ),
    (
        "DISDUKCAPIL",
        "Loket Pelayanan Disdukcapil",
        "disdukcapil",
        ["KTP elektronik", "Kartu Keluarga", "Akta Kelahiran"],
        (150, 160),
        2.7,
        0.35,
    ),
    (
        "DPMPTSP",
        "Mal Pelayanan Publik DPMPTSP",
        "dpmptsp",
        ["Perizinan Berusaha (OSS)", "Persetujuan Bangunan Gedung", "Izin Praktik Tenaga Kesehatan"],
        (400, 420),
        3.3,
        0.1,
    ),
]
TOWNS = {"bengkulu": "Sawah Lebar", "sorong": "Aimas", "bungo": "Muara Bungo"}
COMMENTS = [
    "Antrean cukup lama di pagi hari.",
    "Petugas ramah dan membantu.",
    "Ruang tunggu perlu kipas angin.",
    "Informasi persyaratan di papan kurang jelas.",
    "Pelayanan cepat, terima kasih.",
    "Parkir sempit.",
]
INPUTS = [
    ("complaint", None, "Antrean nomor tidak berjalan sesuai urutan pada hari Senin.", "answered"),
    ("suggestion", None, "Mohon disediakan kursi roda untuk lansia di pintu masuk.", "answered"),
    ("rating", 5, "Petugas loket sangat ramah dan menjelaskan persyaratan dengan sabar.", "published"),
    ("rating", 2, "Petugas terlambat membuka loket lebih dari 30 menit.", "answered"),
    ("complaint", None, "Tidak ada informasi kapan dokumen saya selesai.", "pending"),
    ("suggestion", None, "Sediakan layanan pendaftaran daring agar tidak perlu antre.", "pending"),
    ("complaint", None, "Petugasnya bodoh semua!!! (kata kasar)", "hidden"),
]
ANSWERS = {
    "complaint": "Terima kasih atas laporannya. Sistem antrean sudah kami perbaiki dan diawasi koordinator.",
    "suggestion": "Terima kasih. Usulan ini sudah kami tindak lanjuti mulai bulan ini.",
    "rating": "Terima kasih. Petugas yang bersangkutan sudah dibina oleh atasannya.",
}


def _score(rng: random.Random, mean: float) -> int:
    return max(1, min(4, round(rng.gauss(mean, 0.6))))


def _code(rng: random.Random) -> str:
    return "".join(rng.choice(TOKEN_ALPHABET) for _i in range(8))


def quarters(today: dt.date) -> list[tuple[dt.date, int]]:
    """(first day, days with data) of the previous quarter, whole, and of the current one up to today."""
    current = quarter_start(today)
    previous = quarter_shift(current, -1)
    return [(previous, (current - previous).days), (current, (today - current).days + 1)]


def _moment(region: Region, day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=region.tzinfo)


PROFILES = {
    "sex": ["L", "P", ""],
    "age_band": ["<20", "20-29", "30-39", "40-49", "50-59", "60+", ""],
    "education": ["sd", "smp", "sma", "d3", "s1", "s2", ""],
    "occupation": ["pns", "swasta", "wirausaha", "petani", "pelajar", "irt", "lainnya", ""],
}


def _quarter_responses(rng, su: ServiceUnit, services: list[Service], start: dt.date, days: int, count: int):
    responses = [
        SurveyResponse(
            service_unit=su,
            service=rng.choice(services),
            submitted_on=start + dt.timedelta(days=rng.randrange(days)),
            comment=rng.choice(COMMENTS) if rng.random() < 0.15 else "",
            **{k: rng.choice(v) for k, v in PROFILES.items()},
        )
        for _i in range(count)
    ]
    SurveyResponse.objects.bulk_create(responses)
    return responses


def _quarter_answers(rng, responses: list[SurveyResponse], question: ExtraQuestion, mean: float) -> None:
    """The nine answers of each response around the quarter's mean, and the extra question for most."""
    answers = []
    extras = []
    for r in responses:
        for code in ELEMENT_CODES:
            # Biaya: most public services are free.
            value = 4 if code == "biaya" and rng.random() < 0.7 else _score(rng, mean)
            answers.append(SurveyAnswer(response=r, element=code, value=value))
        if rng.random() < 0.6:
            extras.append(ExtraAnswer(response=r, question=question, value=_score(rng, mean)))
    SurveyAnswer.objects.bulk_create(answers)
    ExtraAnswer.objects.bulk_create(extras)


def _token_batch(rng, su: ServiceUnit, region: Region, today: dt.date) -> None:
    """A printed batch of 20 codes, the first six already used."""
    batch = TokenBatch.objects.create(service_unit=su, size=20)
    SurveyToken.objects.bulk_create(
        [
            SurveyToken(
                batch=batch,
                service_unit=su,
                code=_code(rng),
                # Used yesterday morning (or earlier): in the past whatever the hour of the run.
                used_at=_moment(region, today - dt.timedelta(days=1 + i), 9) if i < 6 else None,
            )
            for i in range(20)
        ]
    )


def _citizen_inputs(rng, su: ServiceUnit, region: Region, today: dt.date) -> None:
    for i, (kind, rating, body, status) in enumerate(rng.sample(INPUTS, 5)):
        # One a week over the last five weeks, answered within three days: all in the past.
        created = _moment(region, today - dt.timedelta(days=7 * (5 - i)), 8) + dt.timedelta(
            hours=rng.randrange(8)
        )
        item = CitizenInput.objects.create(
            service_unit=su,
            kind=kind,
            rating=rating,
            body=body,
            tracking_code="".join(rng.choice(TOKEN_ALPHABET) for _i in range(10)),
            status=status,
            answer=ANSWERS[kind] if status == "answered" else "",
            answered_at=created + dt.timedelta(hours=rng.randint(4, 72)) if status == "answered" else None,
            hidden_reason="Berisi kata-kata kasar." if status == "hidden" else "",
        )
        CitizenInput.objects.filter(pk=item.pk).update(created_at=created)


@transaction.atomic
def _seed_unit(rng, region: Region, spec) -> None:
    unit_code, name_tpl, slug_part, service_names, users, quality, improvement = spec
    slug = f"{region.code}-{slug_part}"
    if ServiceUnit.objects.filter(slug=slug).exists():
        return
    unit = Unit.objects.filter(region=region, code=unit_code).first()
    if unit is None:
        return
    today = demo_today(region)
    periods = quarters(today)
    su = ServiceUnit.objects.create(
        region=region,
        unit=unit,
        name=name_tpl.format(town=TOWNS.get(region.code, region.name)),
        slug=slug,
        address=f"Jl. Merdeka No. {rng.randint(1, 120)}, {region.name}",
    )
    services = [Service.objects.create(service_unit=su, name=n) for n in service_names]
    question = ExtraQuestion.objects.create(
        service_unit=su, text="Apakah nomor antrean dipanggil sesuai urutan?", order=1
    )
    for qi, ((start, days), n_users) in enumerate(zip(periods, users, strict=True)):
        ServicePopulation.objects.create(
            service_unit=su, year=start.year, quarter=quarter_of(start), users=n_users
        )
        # Some units reach the minimum sample, others do not (the page flags it).
        count = int(n_users * rng.uniform(0.35, 0.95)) if slug_part != "dpmptsp" else rng.randint(60, 110)
        responses = _quarter_responses(rng, su, services, start, days, count)
        _quarter_answers(rng, responses, question, mean=quality + improvement * qi)
    _token_batch(rng, su, region, today)
    _citizen_inputs(rng, su, region, today)


def seed(*, rng: random.Random) -> list:
    for region in Region.objects.order_by("pk"):
        for spec in UNITS:
            _seed_unit(rng, region, spec)
    return []
