"""The outbox and the task receipts now live in asnportal.tasking (its 0002 copied the rows)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_second_factor_lifecycle"),
        ("tasking", "0002_from_accounts"),
    ]
    operations = [
        migrations.DeleteModel(name="OutboxTask"),
        migrations.DeleteModel(name="TaskReceipt"),
    ]
