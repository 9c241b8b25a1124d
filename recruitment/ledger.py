"""The hash-chained ledger (catatan rekam jejak): one chain per selection.

Each entry's hash is sha256(previous hash + canonical JSON of the entry). The head row of a chain is
locked with SELECT ... FOR UPDATE while appending, so concurrent appends stay one linear chain.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import LedgerEntry, LedgerHead, Selection

GENESIS = "0" * 64
PROBLEMS = {
    "gap": _("an entry before this one is missing"),
    "link": _("does not carry the hash of the entry before it"),
    "altered": _("content altered after it was written"),
    "head": _("the chain head does not match the last entry"),
}


def canonical(entry: dict) -> str:
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_body(
    *, selection_id: int, seq: int, kind: str, object_id: int, actor: str, at: dt.datetime, payload: dict
) -> dict:
    return {
        "selection": selection_id,
        "seq": seq,
        "kind": kind,
        "object_id": object_id,
        "actor": actor,
        "at": at.astimezone(dt.UTC).isoformat(),
        "payload": payload,
    }


def chain_hash(prev_hash: str, body: dict) -> str:
    return hashlib.sha256((prev_hash + canonical(body)).encode()).hexdigest()


def ledger_append(*, selection: Selection, kind: str, obj: Model, actor, payload: dict) -> LedgerEntry:
    """Append one entry to the selection's chain (call inside the writing service's transaction)."""
    with transaction.atomic():
        head, _created = LedgerHead.objects.get_or_create(selection=selection)
        head = LedgerHead.objects.select_for_update().get(pk=head.pk)
        at = timezone.now()
        # JSON round trip so the stored payload is exactly what was hashed (Decimals become strings).
        payload = json.loads(canonical(payload))
        body = entry_body(
            selection_id=selection.pk,
            seq=head.seq + 1,
            kind=kind,
            object_id=obj.pk,
            actor=str(getattr(actor, "username", actor) or ""),
            at=at,
            payload=payload,
        )
        digest = chain_hash(head.hash, body)
        entry = LedgerEntry.objects.create(
            selection=selection,
            seq=head.seq + 1,
            kind=kind,
            object_id=obj.pk,
            actor=body["actor"],
            at=at,
            payload=payload,
            prev_hash=head.hash,
            hash=digest,
        )
        LedgerHead.objects.filter(pk=head.pk).update(seq=entry.seq, hash=digest)
        return entry


@dataclass
class ChainReport:
    selection_id: int
    selection_name: str
    length: int = 0
    head_hash: str = GENESIS
    recorded_head: str = GENESIS
    problems: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def ledger_verify(*, selection_id: int | None = None) -> list[ChainReport]:
    """Recompute every chain (or one) and report each altered, missing or re-linked entry."""
    selections = Selection.objects.select_related("region").order_by("pk")
    if selection_id is not None:
        selections = selections.filter(pk=selection_id)
    reports = {
        s.pk: ChainReport(selection_id=s.pk, selection_name=f"{s} ({s.region.name})") for s in selections
    }
    heads = dict(LedgerHead.objects.filter(selection_id__in=reports).values_list("selection_id", "hash"))
    prev: dict[int, tuple[int, str]] = {}
    entries = LedgerEntry.objects.filter(selection_id__in=reports).order_by("selection_id", "seq")
    for e in entries.iterator(chunk_size=2000):
        report = reports[e.selection_id]
        last_seq, last_hash = prev.get(e.selection_id, (0, GENESIS))
        body = entry_body(
            selection_id=e.selection_id,
            seq=e.seq,
            kind=e.kind,
            object_id=e.object_id,
            actor=e.actor,
            at=e.at,
            payload=e.payload,
        )
        if e.seq != last_seq + 1:
            report.problems.append({"seq": e.seq, "problem": "gap"})
        if e.prev_hash != last_hash:
            report.problems.append({"seq": e.seq, "problem": "link"})
        if chain_hash(e.prev_hash, body) != e.hash:
            report.problems.append({"seq": e.seq, "problem": "altered"})
        prev[e.selection_id] = (e.seq, e.hash)
        report.length += 1
        report.head_hash = e.hash
    for sid, report in reports.items():
        report.recorded_head = heads.get(sid, GENESIS)
        if report.recorded_head != report.head_hash:
            report.problems.append({"seq": report.length, "problem": "head"})
    return list(reports.values())
