"""The monthly and quarterly report jobs, as editable django-celery-beat entries."""

import json

from django.db import migrations

SCHEDULES = [
    # name, kind, crontab (minute, hour, day of month, month of year)
    ("Laporan evaluasi bulanan", "monthly", ("0", "2", "1", "*")),
    ("Laporan evaluasi triwulanan", "quarterly", ("30", "2", "1", "1,4,7,10")),
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, kind, (minute, hour, day, month) in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_month=day, month_of_year=month, day_of_week="*", timezone="Asia/Jakarta"
        )
        PeriodicTask.objects.update_or_create(
            name=name,
            defaults={
                "task": "asnportal.reports.tasks.reports_fan_out",
                "crontab": crontab,
                "kwargs": json.dumps({"kind": kind}),
                "enabled": True,
            },
        )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[s[0] for s in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_snapshots"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create, remove)]
