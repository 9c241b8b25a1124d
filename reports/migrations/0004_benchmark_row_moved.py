"""The benchmark's scratch table leaves the reports app (benchmarks/ is installed only when benchmarking),
and the beat entries follow the reports task to its new module (asnportal.reports became reports)."""

from django.db import migrations

OLD_TASK = "asnportal.reports.tasks.reports_fan_out"
NEW_TASK = "reports.tasks.reports_fan_out"


def task_rename(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=OLD_TASK).update(task=NEW_TASK)


def task_rename_back(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=NEW_TASK).update(task=OLD_TASK)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_benchmark_row"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [
        migrations.DeleteModel(name="BenchmarkRow"),
        migrations.RunPython(task_rename, task_rename_back),
    ]
