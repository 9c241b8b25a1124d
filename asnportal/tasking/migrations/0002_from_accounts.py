"""The outbox and the receipts move from accounts to tasking: waiting tasks become pending jobs, receipts
are kept, and the beat entries follow the tasks to their new, explicit names."""

from django.db import migrations

RENAMED = {
    "asnportal.accounts.tasks.outbox_flush_task": "tasking.relay",
    "asnportal.accounts.tasks.receipts_purge": "tasking.receipts_purge",
    "asnportal.accounts.tasks.mail_send": "tasking.mail_send",
}


def move(apps, schema_editor):
    OutboxTask = apps.get_model("accounts", "OutboxTask")
    TaskReceipt = apps.get_model("accounts", "TaskReceipt")
    Job = apps.get_model("tasking", "Job")
    Receipt = apps.get_model("tasking", "Receipt")
    for row in OutboxTask.objects.order_by("created_at"):
        job = Job(
            task_name=RENAMED.get(row.task_name, row.task_name),
            kwargs=row.kwargs,
            state="pending",
            last_error=row.last_error,
        )
        if row.args:  # the old outbox never held positional arguments; keep such a row visible, unsent
            job.state = "failed"
            job.last_error = f"positional arguments {row.args!r} from the old outbox"
        job.save()
        Job.objects.filter(pk=job.pk).update(created_at=row.created_at)
    Receipt.objects.bulk_create(
        [Receipt(key=r.key, created_at=r.created_at) for r in TaskReceipt.objects.all()], ignore_conflicts=True
    )
    beat_rename(apps, schema_editor)


def beat_rename(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for old, new in RENAMED.items():
        PeriodicTask.objects.filter(task=old).update(task=new)


def move_back(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for old, new in RENAMED.items():
        PeriodicTask.objects.filter(task=new).update(task=old)


class Migration(migrations.Migration):
    dependencies = [
        ("tasking", "0001_jobs"),
        ("accounts", "0007_second_factor_lifecycle"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(move, move_back)]
