"""The daily activity log and the daily log reminder partitioned by month of their date, on PostgreSQL
only (the demo's SQLite keeps plain tables). See performance/partitions.py for the whole design.

Each table is rebuilt in one transaction: the old one is renamed, a `PARTITION BY RANGE (date)` table
LIKE it takes its name, with a partition for every month its rows have plus this month and the next
AHEAD_MONTHS, and a DEFAULT partition; the rows are copied, then the primary key (id, date), the
indexes and unique keys (read from the catalogue, so exactly Django's) and the foreign keys are built
once over the loaded partitions; the identity sequence goes on from the old one's last value. The BRIN
index of 0004 is not rebuilt: partition pruning skips whole months. At national size this copies the
table: run it in a maintenance window (about a minute per 10 M logs on the benchmark machine).

Keys into the log table cannot be database constraints any more (no unique index on `id` alone):
feedback messages here and api's idempotency keys (api 0002, which runs before this) become
`db_constraint=False`; Django does their CASCADE. The unique keys on evidence and on the offline
client key carry the date (see ActivityLog).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q
from django.utils import timezone

TABLES = {"performance_activitylog": "date", "performance_logreminder": "date"}
AHEAD_MONTHS = 3
BRIN = (
    "CREATE INDEX IF NOT EXISTS log_date_brin ON performance_activitylog USING brin (date) "
    "WITH (autosummarize = on)"
)


def _month_add(month, n):
    index = month.year * 12 + month.month - 1 + n
    return month.replace(year=index // 12, month=index % 12 + 1, day=1)


def _catalogue(cursor, table):
    cursor.execute(
        """SELECT pg_get_indexdef(i.indexrelid), c.conname, pg_get_constraintdef(c.oid), am.amname,
                  i.indisprimary, i.indexrelid::regclass::text
           FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
           LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
           WHERE i.indrelid = %s::regclass ORDER BY i.indisprimary DESC, 6""",
        [table],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' AND conrelid = %s::regclass",
        [table],
    )
    foreign = cursor.fetchall()
    cursor.execute(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE contype = 'f' AND confrelid = %s::regclass",
        [table],
    )
    referencing = cursor.fetchall()
    if referencing:
        raise RuntimeError(f"foreign keys point at {table}: {referencing}; make them db_constraint=False first")
    return indexes, foreign


def _partitions_create(cursor, table, key, old):
    cursor.execute(f"SELECT DISTINCT date_trunc('month', {key})::date FROM {old}")
    months = {row[0] for row in cursor.fetchall()}
    this_month = timezone.localdate().replace(day=1)
    months |= {_month_add(this_month, n) for n in range(AHEAD_MONTHS + 1)}
    for month in sorted(months):
        cursor.execute(
            f"CREATE TABLE {table}_p{month:%Y_%m} PARTITION OF {table} FOR VALUES FROM (%s) TO (%s)",
            [month, _month_add(month, 1)],
        )
    cursor.execute(f"CREATE TABLE {table}_default PARTITION OF {table} DEFAULT")


def _rebuild(cursor, table, key, partitioned):
    """The table rebuilt partitioned by month of `key` (or back to a plain table), rows and all."""
    old = f"{table}_unpartitioned" if partitioned else f"{table}_partitioned"
    indexes, foreign = _catalogue(cursor, table)
    cursor.execute(f"SELECT greatest(pg_sequence_last_value(pg_get_serial_sequence(%s, 'id')::regclass), max(id)) FROM {table}", [table])
    start = (cursor.fetchone()[0] or 0) + 1
    cursor.execute(f"ALTER TABLE {table} RENAME TO {old}")
    for _definition, constraint, _condef, _method, _primary, name in indexes:
        if constraint:
            cursor.execute(f"ALTER TABLE {old} DROP CONSTRAINT {constraint}")
        else:
            cursor.execute(f"DROP INDEX {name}")
    cursor.execute(f"ALTER TABLE {old} ALTER COLUMN id DROP IDENTITY")  # frees the sequence's name
    partition_by = f" PARTITION BY RANGE ({key})" if partitioned else ""
    cursor.execute(f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS INCLUDING CONSTRAINTS){partition_by}")
    if partitioned:
        _partitions_create(cursor, table, key, old)
    cursor.execute(f"INSERT INTO {table} SELECT * FROM {old}")
    for definition, constraint, condef, method, primary, _name in indexes:
        if primary:
            columns = f"id, {key}" if partitioned else "id"
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {constraint} PRIMARY KEY ({columns})")
        elif partitioned and method == "brin":
            continue  # pruning does its work
        elif constraint:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {constraint} {condef}")
        else:
            cursor.execute(definition.replace(" ON ONLY ", " ON "))
    for constraint, condef in foreign:
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {constraint} {condef}")
    cursor.execute(f"DROP TABLE {old}")
    cursor.execute(
        f"ALTER TABLE {table} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY "
        f"(SEQUENCE NAME {table}_id_seq START WITH {int(start)})"
    )
    cursor.execute(f"ANALYZE {table}")


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table, key in TABLES.items():
            _rebuild(cursor, table, key, partitioned=True)


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table, key in TABLES.items():
            _rebuild(cursor, table, key, partitioned=False)
        cursor.execute(BRIN)


class Migration(migrations.Migration):
    dependencies = [("org", "0004_planning_moved_to_workforce"), ("performance", "0005_log_client_key")]

    operations = [
        migrations.AlterField(
            model_name="feedbackmessage",
            name="log",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="messages",
                to="performance.activitylog",
            ),
        ),
        migrations.RemoveConstraint(model_name="activitylog", name="log_evidence_once"),
        migrations.RemoveConstraint(model_name="activitylog", name="log_client_key_once"),
        migrations.AddConstraint(
            model_name="activitylog",
            constraint=models.UniqueConstraint(
                condition=Q(evidence__isnull=False), fields=("evidence", "date"), name="log_evidence_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="activitylog",
            constraint=models.UniqueConstraint(
                condition=~Q(client_key=""),
                fields=("employee", "client_key", "date"),
                name="log_client_key_once",
            ),
        ),
        migrations.RunPython(partition, unpartition),
    ]
