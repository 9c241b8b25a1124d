"""Register the daily log reminder with django-celery-beat (idempotent: update_or_create by name)."""

from django.db import migrations

TASK_NAME = "performance: remind staff without daily logs"


def register(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # 09:00 Asia/Jakarta = 11:00 in Sorong: after the first working hours everywhere.
    schedule, _created = CrontabSchedule.objects.get_or_create(
        minute="0", hour="9", day_of_week="1-5", day_of_month="*", month_of_year="*", timezone="Asia/Jakarta"
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={"task": "performance.tasks.remind_missing_logs", "crontab": schedule, "enabled": True},
    )


def unregister(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0001_initial"),
        ("django_celery_beat", "0018_improve_crontab_helptext"),
    ]

    operations = [migrations.RunPython(register, unregister)]
