"""A BRIN index on the activity log's date, on PostgreSQL only (the demo's SQLite has no BRIN).

The region reports read one month or quarter of logs. Logs arrive in date order, so a BRIN index
(32 kB at 3.2 M rows, against ~70 MB for a B-tree on the same column) lets that scan skip the blocks
of every other month: at 90 days of data a month's report reads 19,000 of the table's 55,000 blocks,
at a year's about one twelfth. This is the date pruning monthly partitions would give, without their
cost in Django (PostgreSQL would need the date in every unique key, including the primary key that
feedback messages point at); partitions are for national size (README, Scaling out).
"""

from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS log_date_brin ON performance_activitylog USING brin (date) WITH (autosummarize = on)"
DROP = "DROP INDEX IF EXISTS log_date_brin"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("performance", "0003_indexes_measured")]

    operations = [migrations.RunPython(forwards, backwards)]
