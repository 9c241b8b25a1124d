"""`backup` then `restore` into an empty database finds every record."""

import pytest
from django.core.management import call_command
from django.db import connection

from asnportal.accounts.models import AuditEvent
from asnportal.org.models import Employee


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_an_empty_database(cast, tmp_path):
    import psycopg2

    AuditEvent.objects.create(action="read_personal", object_type="org.employee", object_id="1")
    dump = tmp_path / "asn.dump"
    call_command("backup", output=str(dump))
    assert dump.stat().st_size > 0

    db = connection.settings_dict
    target = f"{db['NAME']}_restore"
    admin = psycopg2.connect(
        dbname="postgres", user=db["USER"], host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432
    )
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{target}"')
        cur.execute(f'CREATE DATABASE "{target}"')
    try:
        call_command("restore", str(dump), database=target)
        restored = psycopg2.connect(
            dbname=target, user=db["USER"], host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432
        )
        with restored.cursor() as cur:
            counts = {}
            for table, model in [("org_employee", Employee), ("accounts_auditevent", AuditEvent)]:
                cur.execute(f"SELECT count(*), coalesce(max(id), 0) FROM {table}")  # noqa: S608 - fixed names
                counts[table] = cur.fetchone()
                assert counts[table] == (
                    model.objects.count(),
                    max(model.objects.values_list("id", flat=True)),
                )
            cur.execute("SELECT nip FROM org_employee ORDER BY nip")
            assert [r[0] for r in cur.fetchall()] == sorted(Employee.objects.values_list("nip", flat=True))
        restored.close()
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{target}"')
        admin.close()


def test_restore_refuses_a_missing_file(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path / "nope.dump"))
