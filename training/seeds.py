"""Reference rows of the training app: the competency codes and the beat schedules.

Each function takes its model classes so the data migration can pass its historical ones; both are
idempotent (a test database flushed by a transactional test calls them again).
"""

COMPETENCIES = [
    # The 7 BerAKHLAK core values (PermenPANRB 6/2022 behaviour ratings use these codes).
    ("berorientasi_pelayanan", "Berorientasi Pelayanan", "behaviour"),
    ("akuntabel", "Akuntabel", "behaviour"),
    ("kompeten", "Kompeten", "behaviour"),
    ("harmonis", "Harmonis", "behaviour"),
    ("loyal", "Loyal", "behaviour"),
    ("adaptif", "Adaptif", "behaviour"),
    ("kolaboratif", "Kolaboratif", "behaviour"),
    ("manajemen_asn", "Manajemen ASN", "technical"),
    ("pengadaan_barang_jasa", "Pengadaan Barang/Jasa", "technical"),
    ("analisis_data", "Analisis Data", "technical"),
    ("literasi_digital", "Literasi Digital", "technical"),
    ("keuangan_daerah", "Pengelolaan Keuangan Daerah", "technical"),
    ("kepemimpinan", "Kepemimpinan", "managerial"),
]

ALLOCATE_TASK = ("training: allocate sessions whose window closed", "training.allocate_due_sessions")
REMINDER_TASK = ("training: remind participants the day before", "training.send_reminders")


def competencies_ensure(competency_model) -> None:
    for code, name, kind in COMPETENCIES:
        competency_model.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})


def beat_schedule_ensure(interval_model, crontab_model, periodic_task_model) -> None:
    """Allocation every 15 minutes (windows close at local midnight in three time zones); reminders
    daily at 07:00 WIB (09:00 WIT), for sessions starting the next local day."""
    every_15_min, _created = interval_model.objects.get_or_create(every=15, period="minutes")
    daily, _created = crontab_model.objects.get_or_create(
        minute="0", hour="7", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Jakarta"
    )
    periodic_task_model.objects.update_or_create(
        name=ALLOCATE_TASK[0], defaults={"task": ALLOCATE_TASK[1], "interval": every_15_min, "crontab": None}
    )
    periodic_task_model.objects.update_or_create(
        name=REMINDER_TASK[0], defaults={"task": REMINDER_TASK[1], "crontab": daily, "interval": None}
    )


def training_reference_ensure() -> None:
    """The same with the live models (tests, demo)."""
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    from .models import Competency

    competencies_ensure(Competency)
    beat_schedule_ensure(IntervalSchedule, CrontabSchedule, PeriodicTask)
