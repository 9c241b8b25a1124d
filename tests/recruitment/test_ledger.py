"""The hash-chained ledger: append-only in PostgreSQL, linear under concurrency, tampering detected."""

import threading

import pgtrigger
import pytest
from django.core.management import CommandError, call_command
from django.db import InternalError, connection, connections, transaction

from recruitment.ledger import GENESIS, chain_hash, entry_body, ledger_append, ledger_verify
from recruitment.models import LedgerEntry, LedgerHead, SkdScore

from .factories import make_application, make_selection

pytestmark = pytest.mark.django_db


def _append(selection, n, actor="uji"):
    return [
        ledger_append(selection=selection, kind="test", obj=selection, actor=actor, payload={"i": i})
        for i in range(n)
    ]


def test_each_entry_carries_the_hash_of_the_previous(cast):
    selection = make_selection(region=cast.region_a)
    first, second = _append(selection, 2)
    assert first.prev_hash == GENESIS and second.prev_hash == first.hash
    body = entry_body(
        selection_id=selection.pk,
        seq=2,
        kind="test",
        object_id=selection.pk,
        actor="uji",
        at=second.at,
        payload={"i": 1},
    )
    assert second.hash == chain_hash(first.hash, body)
    (report,) = ledger_verify(selection_id=selection.pk)
    assert report.ok and report.length == 2 and report.head_hash == second.hash == report.recorded_head
    assert LedgerHead.objects.get(selection=selection).seq == 2


def test_update_and_delete_are_refused_by_the_database(cast):
    selection = make_selection(region=cast.region_a)
    (entry,) = _append(selection, 1)
    app = make_application(selection.formations.get(), skd=(100, 100, 200))
    for statement in (
        lambda: LedgerEntry.objects.filter(pk=entry.pk).update(kind="x"),
        lambda: LedgerEntry.objects.filter(pk=entry.pk).delete(),
        lambda: SkdScore.objects.filter(application=app).update(twk=150),
        lambda: SkdScore.objects.filter(application=app).delete(),
    ):
        with pytest.raises(InternalError, match="Cannot"), transaction.atomic():
            statement()
    assert SkdScore.objects.get(application=app).twk == 100


def test_a_row_altered_with_the_trigger_ignored_is_detected(cast, capsys):
    selection = make_selection(region=cast.region_a)
    entries = _append(selection, 3)
    call_command("verify_ledger")
    assert "Ledger intact" in capsys.readouterr().out
    with pgtrigger.ignore("recruitment.LedgerEntry:ledger_append_only"), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE recruitment_ledgerentry SET payload = %s WHERE id = %s", ['{"i": 99}', entries[1].pk]
        )
    (report,) = ledger_verify(selection_id=selection.pk)
    assert report.problems == [{"seq": 2, "problem": "altered"}]
    with pytest.raises(CommandError):
        call_command("verify_ledger")
    assert "entry 2: altered" in capsys.readouterr().out
    page = cast.client("anonymous").get("/rekrutmen/rekam-jejak/")
    assert page.status_code == 200 and "entri 2: isi diubah setelah ditulis" in page.content.decode()


def test_a_row_rewritten_with_the_trigger_disabled_in_sql_is_detected(cast):
    selection = make_selection(region=cast.region_a)
    entries = _append(selection, 3)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # flush the test's pending FK checks first
        cursor.execute("ALTER TABLE recruitment_ledgerentry DISABLE TRIGGER USER")
        # Rewrite entry 3 and recompute its own hash: the head row no longer matches.
        body = entry_body(
            selection_id=selection.pk,
            seq=3,
            kind="test",
            object_id=selection.pk,
            actor="pemalsu",
            at=entries[2].at,
            payload={"i": 2},
        )
        cursor.execute(
            "UPDATE recruitment_ledgerentry SET actor = 'pemalsu', hash = %s WHERE id = %s",
            [chain_hash(entries[1].hash, body), entries[2].pk],
        )
        cursor.execute("ALTER TABLE recruitment_ledgerentry ENABLE TRIGGER USER")
    (report,) = ledger_verify(selection_id=selection.pk)
    assert {"seq": 3, "problem": "head"} in report.problems


def test_a_deleted_row_breaks_the_chain(cast):
    selection = make_selection(region=cast.region_a)
    entries = _append(selection, 3)
    with pgtrigger.ignore("recruitment.LedgerEntry:ledger_append_only"):
        LedgerEntry.objects.filter(pk=entries[1].pk).delete()
    (report,) = ledger_verify(selection_id=selection.pk)
    assert {"seq": 3, "problem": "gap"} in report.problems and {
        "seq": 3,
        "problem": "link",
    } in report.problems


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_linear_chain(cast):
    selection = make_selection(region=cast.region_a)
    errors = []
    barrier = threading.Barrier(4)

    def worker(k):
        try:
            barrier.wait()
            for i in range(10):
                with transaction.atomic():
                    ledger_append(
                        selection=selection, kind="test", obj=selection, actor=f"t{k}", payload={"i": i}
                    )
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    (report,) = ledger_verify(selection_id=selection.pk)
    assert report.ok and report.length == 40
    assert list(LedgerEntry.objects.filter(selection=selection).values_list("seq", flat=True)) == list(
        range(1, 41)
    )
