"""Register the beat task that creates the log tables' monthly partitions ahead (idempotent by name)."""

from django.db import migrations

TASK_NAME = "performance: monthly partitions of the log tables"


def register(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # Daily at 01:30 Asia/Jakarta: a quiet hour everywhere. Three months ahead, so even weeks of a
    # stopped beat leave no month without its partition (and the default partition catches the rest).
    schedule, _created = CrontabSchedule.objects.get_or_create(
        minute="30", hour="1", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Jakarta"
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={"task": "performance.partitions_ensure", "crontab": schedule, "enabled": True},
    )


def unregister(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0006_partitioned_by_month"),
        ("django_celery_beat", "0018_improve_crontab_helptext"),
    ]

    operations = [migrations.RunPython(register, unregister)]
