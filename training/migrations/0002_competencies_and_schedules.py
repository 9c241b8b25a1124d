"""Seed the competency codes (the 7 BerAKHLAK values plus technical ones) and the beat schedules."""

from django.db import migrations

COMPETENCIES = [
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


def seed(apps, schema_editor):
    Competency = apps.get_model("training", "Competency")
    for code, name, kind in COMPETENCIES:
        Competency.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_15_min, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
    daily, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="7", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Jakarta"
    )
    PeriodicTask.objects.update_or_create(
        name="training: allocate sessions whose window closed",
        defaults={"task": "training.allocate_due_sessions", "interval": every_15_min, "crontab": None},
    )
    PeriodicTask.objects.update_or_create(
        name="training: remind participants the day before",
        defaults={"task": "training.send_reminders", "crontab": daily, "interval": None},
    )


def unseed(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__startswith="training: ").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
