"""The monthly and quarterly report jobs as django-celery-beat entries (editable in the admin)."""

import json

SCHEDULES = [
    # name, kind, crontab (minute, hour, day of month, month of year)
    ("Laporan evaluasi bulanan", "monthly", ("0", "2", "1", "*")),
    ("Laporan evaluasi triwulanan", "quarterly", ("30", "2", "1", "1,4,7,10")),
]
TASK = "reports.tasks.reports_fan_out"


def schedules_ensure(crontab_model, periodic_task_model) -> None:
    """Create the entries if missing (the migration passes its historical models)."""
    for name, kind, (minute, hour, day, month) in SCHEDULES:
        crontab, _ = crontab_model.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_month=day,
            month_of_year=month,
            day_of_week="*",
            timezone="Asia/Jakarta",
        )
        periodic_task_model.objects.get_or_create(
            name=name, defaults={"task": TASK, "crontab": crontab, "kwargs": json.dumps({"kind": kind})}
        )
