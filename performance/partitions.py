"""Monthly partitions of the tables that grow by the day (issue 24), on PostgreSQL's declarative
partitioning: the daily activity log and the daily log reminder are `PARTITION BY RANGE (date)`.

- Each month has its partition `<table>_pYYYY_MM`; a DEFAULT partition `<table>_default` takes any
  date no partition covers yet, so an insert never fails. The beat task `performance.partitions_ensure`
  (daily) creates the partitions of this month and AHEAD_MONTHS months ahead; a month that already
  has rows in the default partition gets them moved into its new partition.
- Pages and queries are unchanged: PostgreSQL routes every insert and prunes the partitions a date
  filter cannot reach. Primary keys are (id, date) in the database (PostgreSQL wants the partition key
  in every unique index); Django keeps `id` as the primary key, unique by its identity sequence.
- Retention: `manage.py logs_partitions --detach-before YYYY-MM` lists the monthly partitions wholly
  before that month and, with `--apply`, detaches them (see partitions_detach): they become plain
  tables to dump (`pg_dump -t`) and drop. Pages then simply no longer see those months.

On SQLite (the demo) the tables are plain: every function here does nothing there.
"""

import datetime as dt
import re

from django.db import connection, transaction

# The partitioned tables and their partition key (a date column).
PARTITIONED = {"performance_activitylog": "date", "performance_logreminder": "date"}
AHEAD_MONTHS = 3
# Detaching takes a brief ACCESS EXCLUSIVE lock on the parent (CONCURRENTLY is refused by PostgreSQL
# while a DEFAULT partition exists): wait at most this long for running queries, then give up.
LOCK_TIMEOUT = "3s"
_BOUND = re.compile(r"FROM \('(\d{4}-\d{2}-\d{2})'\) TO \('(\d{4}-\d{2}-\d{2})'\)")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_add(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def partition_name(table: str, month: dt.date) -> str:
    return f"{table}_p{month:%Y_%m}"


def default_name(table: str) -> str:
    return f"{table}_default"


def is_partitioned(table: str) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s))", [table]
        )
        return cursor.fetchone()[0]


def partitions_of(table: str) -> list[tuple[str, dt.date | None, dt.date | None]]:
    """The partitions of a table as (name, first day, day after the last) — (name, None, None) for the
    default partition — in date order, the default last."""
    if not is_partitioned(table):
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i
               JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(%s)""",
            [table],
        )
        rows = cursor.fetchall()
    found = []
    for name, bound in rows:
        match = _BOUND.search(bound)
        lower, upper = (
            (dt.date.fromisoformat(match[1]), dt.date.fromisoformat(match[2])) if match else (None, None)
        )
        found.append((name, lower, upper))
    return sorted(found, key=lambda p: (p[1] is None, p[1] or dt.date.min))


def _lock(cursor, table: str) -> None:
    """One partition maintainer per table at a time, whichever container runs it."""
    cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"partitions:{table}"])


def partition_create(table: str, month: dt.date) -> bool:
    """The partition of `month` (idempotent: False when it exists). Rows of that month already in the
    default partition move into it; ATTACH takes only a SHARE UPDATE EXCLUSIVE lock on the parent,
    so reads and writes of the other months go on meanwhile."""
    if not is_partitioned(table):
        return False
    month = month_start(month)
    name, default, key = partition_name(table, month), default_name(table), PARTITIONED[table]
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor, table)
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        if cursor.fetchone()[0]:
            return False
        bounds = [month, month_add(month, 1)]
        cursor.execute(f"CREATE TABLE {name} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
        where = f"{key} >= %s AND {key} < %s"
        cursor.execute(f"INSERT INTO {name} SELECT * FROM {default} WHERE {where}", bounds)  # noqa: S608  # nosec B608 - names from PARTITIONED
        if cursor.rowcount:
            cursor.execute(f"DELETE FROM {default} WHERE {where}", bounds)  # noqa: S608  # nosec B608
        cursor.execute(f"ALTER TABLE {table} ATTACH PARTITION {name} FOR VALUES FROM (%s) TO (%s)", bounds)
    return True


def partitions_ensure(*, today: dt.date, months_ahead: int = AHEAD_MONTHS) -> list[str]:
    """The partitions of this month and `months_ahead` months after it, for every partitioned table;
    returns the names of those created (none when they all exist)."""
    created = []
    for table in PARTITIONED:
        for n in range(months_ahead + 1):
            month = month_add(month_start(today), n)
            if partition_create(table, month):
                created.append(partition_name(table, month))
    return created


def partitions_before(before: dt.date) -> list[tuple[str, str]]:
    """(table, partition) of every monthly partition wholly before the month `before`."""
    limit = month_start(before)
    return [
        (table, name)
        for table in PARTITIONED
        for name, _lower, upper in partitions_of(table)
        if upper is not None and upper <= limit
    ]


def _referencing(table: str) -> list[tuple[str, str, str]]:
    """(model name, table, column) of the foreign keys that point at the table's rows. They have no
    constraint in the database (PostgreSQL cannot reference a partitioned table by `id` alone), so
    Django cascades deletes and the retention step below carries them along."""
    from django.apps import apps

    model = next(m for m in apps.get_models() if m._meta.db_table == table)
    return [
        (rel.related_model._meta.model_name, rel.related_model._meta.db_table, rel.field.column)
        for rel in model._meta.get_fields(include_hidden=True)  # hidden too: related_name="+" keys
        if rel.one_to_many and rel.auto_created and not rel.field.db_constraint
    ]


def partition_detach(table: str, name: str) -> list[str]:
    """Detach one monthly partition: it becomes a plain table. The rows of other tables that point at
    its rows (a log's feedback thread, an API idempotency key) move into plain tables named
    `<partition>_<model>` beside it, in the same transaction, so nothing is left pointing nowhere.
    Returns the tables to archive and drop, the partition first."""
    tables = [name]
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor, table)
        cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        cursor.execute(f"ALTER TABLE {table} DETACH PARTITION {name}")
        for model_name, other, column in _referencing(table):
            archive = f"{name}_{model_name}"[:63]
            rows = f"{column} IN (SELECT id FROM {name})"  # noqa: S608  # nosec B608 - catalog names
            cursor.execute(f"CREATE TABLE {archive} AS SELECT * FROM {other} WHERE {rows}")  # noqa: S608  # nosec B608 - catalog names
            cursor.execute(f"DELETE FROM {other} WHERE {rows}")  # noqa: S608  # nosec B608
            tables.append(archive)
    return tables


def partitions_detach(*, before: dt.date) -> list[str]:
    """Retention: detach every monthly partition wholly before the month `before` (partition_detach);
    returns the tables to archive (`pg_dump -t <table>`) and then drop."""
    tables = []
    for table, name in partitions_before(before):
        tables += partition_detach(table, name)
    return tables
