"""The log table is partitioned by month (performance 0006): no database constraint can point at its
`id` alone, so this key drops its constraint first (Django still cascades the delete)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial"), ("performance", "0005_log_client_key")]
    run_before = [("performance", "0006_partitioned_by_month")]

    operations = [
        migrations.AlterField(
            model_name="idempotentlog",
            name="log",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="performance.activitylog",
            ),
        ),
    ]
