"""Helpers of the scale generators: raw SQL execution, ids and sequences, bulk inserts."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection

SCALE_REGION = "skala"


@dataclass
class ScaleContext:
    employees: int
    days: int
    end: dt.date
    region_id: int = 0
    unit_count: int = 0
    employee_base: int = 0
    unit_base: int = 0
    position_ids: list[int] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @property
    def start(self) -> dt.date:
        return self.end - dt.timedelta(days=self.days - 1)


def execute(sql: str, params: dict | list | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def scalar(sql: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def next_id(table: str) -> int:
    return scalar(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")  # noqa: S608  # nosec B608 - fixed table names


def sync_sequence(table: str) -> None:
    execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))"  # noqa: S608  # nosec B608
    )


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Monday to Friday between start and end (national holidays are not modelled)."""
    days = (end - start).days + 1
    return [d for d in (start + dt.timedelta(days=k) for k in range(days)) if d.weekday() < 5]


def bulk_insert_without_indexes(table: str, sql: str, params: dict) -> int:
    """A large INSERT ... SELECT: drop the table's indexes, insert, rebuild them.

    Building an index once over the finished table is several times faster than maintaining it row
    by row. The primary key goes too (rows arrive in date order, not id order, and keeping it cost
    8 s of the 14 s log insert), with the foreign keys of other tables that point at it; every unique
    index, constraint and foreign key is put back afterwards and validated then, so a duplicate or a
    dangling reference still fails the step (and rolls it back)."""
    with connection.cursor() as cursor:
        referencing, indexes = _constraints_of(cursor, table)
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL synchronous_commit = off")
        for other, constraint, _definition in referencing:
            cursor.execute(f"ALTER TABLE {other} DROP CONSTRAINT {constraint}")
        for name, _definition, constraint, _condef in indexes:
            if constraint:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {constraint}")
            else:
                cursor.execute(f"DROP INDEX {name}")
        cursor.execute(sql, params)
        rows = max(cursor.rowcount, 0)
        for _name, definition, constraint, condef in indexes:
            if constraint:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {constraint} {condef}")
            else:  # a partitioned table's index reads "ON ONLY <parent>": build it on every partition
                cursor.execute(definition.replace(" ON ONLY ", " ON ", 1))
        for other, constraint, definition in referencing:
            cursor.execute(f"ALTER TABLE {other} ADD CONSTRAINT {constraint} {definition}")
    return rows


def _constraints_of(cursor, table: str) -> tuple[list, list]:
    """The foreign keys of other tables pointing at the table, and the table's indexes (primary key
    first) with the constraint each one backs, if any."""
    cursor.execute(
        """SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
           WHERE c.contype = 'f' AND c.confrelid = %s::regclass""",
        [table],
    )
    referencing = cursor.fetchall()
    cursor.execute(
        """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), c.conname,
                  pg_get_constraintdef(c.oid)
           FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
           WHERE i.indrelid = %s::regclass
           ORDER BY i.indisprimary DESC""",
        [table],
    )
    return referencing, cursor.fetchall()
