"""Seed the competency codes (the 7 BerAKHLAK values plus technical ones) and the beat schedules."""

from django.db import migrations

from training.seeds import beat_schedule_ensure, competencies_ensure


def seed(apps, schema_editor):
    competencies_ensure(apps.get_model("training", "Competency"))
    beat_schedule_ensure(
        apps.get_model("django_celery_beat", "IntervalSchedule"),
        apps.get_model("django_celery_beat", "CrontabSchedule"),
        apps.get_model("django_celery_beat", "PeriodicTask"),
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
