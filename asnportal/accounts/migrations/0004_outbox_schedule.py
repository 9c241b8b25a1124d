from django.db import migrations


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.update_or_create(
        name="Kirim ulang tugas yang menunggu broker",
        defaults={"task": "asnportal.accounts.tasks.outbox_flush_task", "interval": every_minute, "enabled": True},
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="asnportal.accounts.tasks.outbox_flush_task"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_outbox"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create, remove)]
