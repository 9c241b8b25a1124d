"""The log tables partitioned by month on PostgreSQL (issue 24): routing, the default partition, the
beat task that creates partitions ahead, retention by detaching, and the keys that point at logs."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_celery_beat.models import PeriodicTask

from api.models import IdempotentLog
from performance import partitions, services, tasks
from performance.models import ActivityLog, FeedbackMessage

from ..clock import TODAY, at
from .factories import agreed_plan, approved_log

pytestmark = pytest.mark.django_db
LOG = "performance_activitylog"
# Months far from any "today" the suite runs on, so no partition of them exists unless a test makes it.
MAY_2091 = dt.date(2091, 5, 1)


def _sql(query: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def _home(log: ActivityLog) -> str:
    """The partition a log's row lives in."""
    return _sql(f"SELECT tableoid::regclass::text FROM {LOG} WHERE id = %s", [log.pk])[0][0]


def _children(table: str) -> set[str]:
    rows = _sql("SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = %s::regclass", [table])
    return {name for (name,) in rows}


@pytest.fixture
def kpi(cast):
    _plan, (indicator, _other) = agreed_plan(cast.objects["staff_employee"], TODAY.year)
    return indicator


def test_the_log_tables_are_partitioned_by_date_with_a_default_partition():
    for table in partitions.PARTITIONED:
        strategy = _sql(
            """SELECT p.partstrat, a.attname FROM pg_partitioned_table p
               JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
               WHERE p.partrelid = %s::regclass""",
            [table],
        )
        assert strategy == [("r", "date")]
        assert f"{table}_default" in _children(table)
        primary = _sql(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'p' AND conrelid = %s::regclass",
            [table],
        )
        assert primary == [("PRIMARY KEY (id, date)",)]


def test_a_log_lands_in_its_month_and_an_uncovered_date_in_the_default(cast, kpi):
    staff = cast.objects["staff_employee"]
    assert partitions.partition_create(LOG, MAY_2091) is True
    assert partitions.partition_create(LOG, MAY_2091.replace(day=20)) is False  # idempotent
    in_may = approved_log(staff, kpi, dt.date(2091, 5, 31), 1)
    in_june = approved_log(staff, kpi, dt.date(2091, 6, 1), 1)
    assert _home(in_may) == "performance_activitylog_p2091_05"
    assert _home(in_june) == "performance_activitylog_default"
    # Queries are unchanged: the ORM finds both by id and by date.
    assert set(ActivityLog.objects.filter(date__year=2091).values_list("pk", flat=True)) == {
        in_may.pk,
        in_june.pk,
    }


def test_a_new_partition_takes_its_month_out_of_the_default(cast, kpi):
    staff = cast.objects["staff_employee"]
    june = approved_log(staff, kpi, dt.date(2091, 6, 15), 3)
    july = approved_log(staff, kpi, dt.date(2091, 7, 1), 1)
    assert partitions.partition_create(LOG, dt.date(2091, 6, 1))
    assert _home(june) == "performance_activitylog_p2091_06"
    assert _home(july) == "performance_activitylog_default"
    assert ActivityLog.objects.get(pk=june.pk).quantity == 3


def test_a_month_query_reads_only_that_months_partition(cast, kpi):
    partitions.partition_create(LOG, MAY_2091)
    plan = _sql(
        f"EXPLAIN SELECT count(*) FROM {LOG} WHERE date BETWEEN '2091-05-01' AND '2091-05-31'"  # noqa: S608
    )
    text = "\n".join(line for (line,) in plan)
    assert "performance_activitylog_p2091_05" in text
    assert "performance_activitylog_default" not in text and "p2091_06" not in text


def test_the_beat_task_creates_the_months_ahead_once():
    assert PeriodicTask.objects.get(task="performance.partitions_ensure").enabled
    with time_machine.travel(at(dt.date(2092, 11, 20)), tick=False):
        created = tasks.partitions_ensure.delay().get()
        assert tasks.partitions_ensure.delay().get() == []  # idempotent
    months = ["2092_11", "2092_12", "2093_01", "2093_02"]
    assert created == [f"{t}_p{m}" for t in partitions.PARTITIONED for m in months]
    for table in partitions.PARTITIONED:
        assert {f"{table}_p{m}" for m in months} <= _children(table)
    bounds = [(lo, hi) for name, lo, hi in partitions.partitions_of(LOG) if name.endswith("p2093_02")]
    assert bounds == [(dt.date(2093, 2, 1), dt.date(2093, 3, 1))]


def test_deleting_a_log_deletes_its_thread_and_api_key(cast, kpi):
    staff = cast.objects["staff_employee"]
    log = approved_log(staff, kpi, TODAY, 1)
    FeedbackMessage.objects.create(log=log, author=staff, body="Bagus")
    IdempotentLog.objects.create(user=cast.users["staff"], key="k", log=log)
    log.delete()
    assert not FeedbackMessage.objects.exists() and not IdempotentLog.objects.exists()


def test_a_resent_queued_log_returns_the_first_one_whatever_its_date(cast, kpi):
    staff = cast.objects["staff_employee"]
    kwargs = {"employee": staff, "indicator_id": kpi.pk, "quantity": 1, "duration_minutes": 30}
    first = services.log_create(date=TODAY, description="Rapat", client_key="kunci-1", **kwargs)
    again = services.log_create(
        date=TODAY - dt.timedelta(days=1) if TODAY.day > 1 else TODAY,
        description="Rapat lagi",
        client_key="kunci-1",
        **kwargs,
    )
    assert again.pk == first.pk and ActivityLog.objects.count() == 1


def test_detaching_old_months_archives_their_logs_and_threads(cast, kpi):
    staff = cast.objects["staff_employee"]
    partitions.partition_create(LOG, MAY_2091)
    old = approved_log(staff, kpi, dt.date(2091, 5, 2), 1)
    FeedbackMessage.objects.create(log=old, author=staff, body="Lama")
    IdempotentLog.objects.create(user=cast.users["staff"], key="lama", log=old)
    name = "performance_activitylog_p2091_05"
    tables = partitions.partition_detach(LOG, name)
    assert tables == [name, f"{name}_feedbackmessage", f"{name}_idempotentlog"]
    assert name not in _children(LOG)
    assert not ActivityLog.objects.filter(pk=old.pk).exists()
    assert not FeedbackMessage.objects.exists() and not IdempotentLog.objects.exists()
    assert _sql(f"SELECT id FROM {name}") == [(old.pk,)]  # noqa: S608
    assert _sql(f"SELECT body FROM {name}_feedbackmessage") == [("Lama",)]  # noqa: S608


def test_the_retention_command_is_a_dry_run_unless_applied(capsys):
    partitions.partition_create(LOG, MAY_2091)
    with time_machine.travel(at(dt.date(2091, 9, 10)), tick=False):
        call_command("logs_partitions", "--detach-before", "2091-06")
        assert "would detach performance_activitylog_p2091_05" in capsys.readouterr().out
        assert "performance_activitylog_p2091_05" in _children(LOG)
        call_command("logs_partitions", "--detach-before", "2091-06", "--apply")
        out = capsys.readouterr().out
    assert "detached performance_activitylog_p2091_05" in out and "pg_dump" in out
    assert "performance_activitylog_p2091_05" not in _children(LOG)
    assert "performance_activitylog_default" in _children(LOG)


def test_the_retention_command_refuses_a_bad_or_current_month():
    with pytest.raises(CommandError):
        call_command("logs_partitions", "--detach-before", "2091-13")
    with time_machine.travel(at(dt.date(2091, 9, 10)), tick=False), pytest.raises(CommandError):
        call_command("logs_partitions", "--detach-before", "2091-10", "--apply")
    assert "performance_activitylog_default" in _children(LOG)


def test_the_command_lists_and_creates_partitions(capsys):
    with time_machine.travel(at(dt.date(2094, 3, 3)), tick=False):
        call_command("logs_partitions", "--ensure", "--ahead", "1")
        assert "performance_activitylog_p2094_04" in capsys.readouterr().out
        call_command("logs_partitions")
    out = capsys.readouterr().out
    assert "performance_activitylog_p2094_03\t2094-03-01 .. 2094-03-31" in out
    assert "performance_activitylog_default\tDEFAULT" in out
