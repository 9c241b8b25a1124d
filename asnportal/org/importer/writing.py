"""The run of an import: validation, then one transaction of bulk upserts (all rows or none)."""

from django.db import connection, transaction
from django.utils import timezone

from asnportal.tasking import receipt_take

from ..models import Employee, EmployeeImport, Position
from .reading import ImportFileError, read_table
from .validation import Report, Row, Validator, _chunks


class ImportRaced(Exception):
    """Another region created one of the file's NIPs while this import ran: run it again."""


# A run may only move an unfinished import: a twin delivery that finished first is never overwritten.
_FINISHED = (EmployeeImport.Status.DONE, EmployeeImport.Status.FAILED)


def _mark_failed(imp_id: int, report: Report) -> None:
    EmployeeImport.objects.filter(pk=imp_id).exclude(status__in=_FINISHED).update(
        status=EmployeeImport.Status.FAILED, errors=report.as_json(), finished_at=timezone.now()
    )


def employee_import_run(*, import_id: int) -> EmployeeImport:
    """Validate every row of an upload, then write all of them or none (issue 2: employee import).

    Idempotent: a finished import is left alone; a run interrupted before its write transaction
    committed is simply done again, and the upsert on NIP makes the write itself repeatable.
    """
    imp = EmployeeImport.objects.get(pk=import_id)
    if imp.status in _FINISHED:
        return imp
    EmployeeImport.objects.filter(pk=imp.pk).exclude(status__in=_FINISHED).update(
        status=EmployeeImport.Status.RUNNING
    )
    validator = Validator(imp)
    try:
        rows, columns, report = validator.run(read_table(imp.filename, bytes(imp.content)))
    except ImportFileError as exc:
        report = Report()
        report.add(None, "", exc.msgid, **exc.params)
        rows, columns = [], {}
    if report.errors:
        _mark_failed(imp.pk, report)
    else:
        _write(imp.pk, validator, rows, columns)
    imp.refresh_from_db()
    return imp


# Fields the upsert may change, by the file column that feeds them (None: always present).
_UPDATABLE = [
    ("name", None),
    ("kind", None),
    ("rank", None),
    ("unit_id", None),
    ("position_id", None),
    ("is_remote", "is_remote"),
    ("email", "email"),
    ("phone", "phone"),
]


@transaction.atomic
def _write(import_id: int, validator: Validator, rows: list[Row], columns: dict[str, int]) -> None:
    imp = EmployeeImport.objects.select_for_update().get(pk=import_id)
    if imp.status in _FINISHED or not receipt_take():  # the job's receipt, committed with the rows
        return
    nips = [row.nip for row in rows]
    _refuse_raced(import_id, validator.region_id, nips)
    positions = _positions_ensure(validator, rows)
    created, changed_nips = _employees_upsert(validator, rows, columns, positions)
    if "supervisor" in columns:
        changed_nips |= _supervisors_update(validator, rows, nips)
    _mark_done(imp, created=created, updated=len(changed_nips))


def _refuse_raced(import_id: int, region_id: int, nips: list[str]) -> None:
    """Re-checked under the transaction: a NIP another region created meanwhile is never taken over."""
    for chunk in _chunks(nips):
        if Employee.objects.filter(nip__in=chunk).exclude(region_id=region_id).exists():
            raise ImportRaced(import_id)


def _positions_ensure(validator: Validator, rows: list[Row]) -> dict[tuple[str, str], int]:
    """Positions unknown to the region are created first (by name and jenjang, with the given type);
    returns the region's positions by (name folded, level)."""
    region_id = validator.region_id
    wanted: dict[tuple[str, str], Position] = {}
    for row in rows:
        key = (row.position_name.casefold(), row.level)
        if key not in validator.positions and key not in wanted:
            wanted[key] = Position(
                region_id=region_id, name=row.position_name, kind=row.position_kind, level=row.level
            )
    if wanted:
        Position.objects.bulk_create(wanted.values(), ignore_conflicts=True, batch_size=1000)
    return {
        (name.casefold(), level): pk
        for pk, name, level in Position.objects.filter(region_id=region_id).values_list("id", "name", "level")
    }


def _row_values(row: Row, positions: dict[tuple[str, str], int]) -> dict:
    return {
        "name": row.name,
        "kind": row.kind,
        "rank": row.rank,
        "unit_id": row.unit_id,
        "position_id": positions[(row.position_name.casefold(), row.level)],
        "is_remote": row.is_remote,
        "email": row.email,
        "phone": row.phone,
    }


def _employees_upsert(
    validator: Validator, rows: list[Row], columns: dict[str, int], positions: dict[tuple[str, str], int]
) -> tuple[int, set[str]]:
    """One bulk upsert on NIP of the rows that change something; (created, NIPs of changed employees)."""
    fields = [name for name, column in _UPDATABLE if column is None or column in columns]
    to_write: list[Employee] = []
    created = 0
    changed_nips: set[str] = set()
    now = timezone.now()
    for row in rows:
        values = _row_values(row, positions)
        before = validator.existing.get(row.nip)
        if before is not None and all(before[f] == values[f] for f in fields):
            continue
        if before is None:
            created += 1
        else:
            changed_nips.add(row.nip)
        to_write.append(
            Employee(
                region_id=validator.region_id,
                nip=row.nip,
                birth_date=row.birth_date,
                tmt_cpns=row.tmt_cpns,
                sex=row.sex,
                updated_at=now,
                **values,
            )
        )
    if to_write:
        Employee.objects.bulk_create(
            to_write,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["nip"],
            update_fields=[*fields, "updated_at"],
        )
    return created, changed_nips


def _supervisors_update(validator: Validator, rows: list[Row], nips: list[str]) -> set[str]:
    """The file's supervisor links, in a second pass (every NIP has its id now); the existing
    employees whose supervisor changed."""
    existing = validator.existing
    ids: dict[str, int] = dict(validator.outside_ids)
    for chunk in _chunks(nips):
        ids.update(Employee.objects.filter(nip__in=chunk).values_list("nip", "id"))
    pairs = []
    changed_nips: set[str] = set()
    for row in rows:
        wanted_id = ids[row.supervisor_nip] if row.supervisor_nip else None
        before = existing.get(row.nip)
        current = before["supervisor_id"] if before is not None else None
        if wanted_id != current:
            pairs.append((ids[row.nip], wanted_id))
            if before is not None:
                changed_nips.add(row.nip)
    _set_supervisors(pairs)
    return changed_nips


def _mark_done(imp: EmployeeImport, *, created: int, updated: int) -> None:
    imp.status = EmployeeImport.Status.DONE
    imp.created_count, imp.updated_count = created, updated
    imp.processed_rows = imp.total_rows
    imp.errors = []
    imp.finished_at = timezone.now()
    imp.save(
        update_fields=["status", "created_count", "updated_count", "processed_rows", "errors", "finished_at"]
    )


def _set_supervisors(pairs: list[tuple[int, int | None]]) -> None:
    """Set many supervisor links: one UPDATE per chunk (PostgreSQL), bulk_update elsewhere."""
    if not pairs:
        return
    if connection.vendor == "postgresql":
        table = Employee._meta.db_table
        with connection.cursor() as cursor:
            for chunk in _chunks(pairs, 10000):
                cursor.execute(
                    f"UPDATE {table} AS e SET supervisor_id = v.sup "  # noqa: S608  # nosec B608 - table name is ours
                    "FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, sup) WHERE e.id = v.id",
                    [[p[0] for p in chunk], [p[1] for p in chunk]],
                )
        return
    objs = [Employee(pk=pk, supervisor_id=sup) for pk, sup in pairs]
    Employee.objects.bulk_update(objs, ["supervisor_id"], batch_size=500)
