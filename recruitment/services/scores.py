"""Scores: administrative screening, SKD (CAT import and corrections), SKB and conflicts of interest."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import rules, selectors
from ..ledger import ledger_append
from ..models import (
    Application,
    ConflictDeclaration,
    ScreeningDecision,
    Selection,
    SkbScore,
    SkdScore,
    Stage,
)
from ..selectors import rule_versions
from .common import correction_reason, notify


@transaction.atomic
def screening_decide(*, application: Application, met: bool, reason: str, by) -> ScreeningDecision:
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    correction_reason(selection=application.selection, stage=Stage.ADMINISTRATION, reason=reason)
    decision = ScreeningDecision(application=application, met=met, reason=reason.strip(), decided_by=by)
    decision.full_clean()
    decision.save()
    ledger_append(
        selection=application.selection,
        kind="screening",
        obj=decision,
        actor=by,
        payload={"participant_number": application.participant_number, "met": met, "reason": decision.reason},
    )
    status = Application.Status.ADMIN_PASSED if met else Application.Status.ADMIN_FAILED
    if application.status != status:
        Application.objects.filter(pk=application.pk).update(status=status)
        application.status = status
        notify([application.pk])
    return decision


def skd_results_apply(*, selection: Selection) -> list[int]:
    """Set each screened-in applicant's SKD status from the ranking; returns the ids that changed."""
    rows, _total = selectors.ranking_rows(selection_id=selection.pk)
    scored = [r for r in rows if r.skd_total is not None]
    passed = {r.application_id for r in scored if r.advances}
    failed = {r.application_id for r in scored} - passed
    changed = []
    for ids, status in ((passed, Application.Status.SKD_PASSED), (failed, Application.Status.SKD_FAILED)):
        qs = Application.objects.filter(pk__in=ids).exclude(status=status)
        changed += list(qs.values_list("pk", flat=True))
        qs.update(status=status)
    return changed


@transaction.atomic
def skd_import(*, selection: Selection, rows: list[dict], by) -> int:
    """All-or-nothing import of parsed CAT rows ({line, participant_number, twk, tiu, tkp}).

    Every row is validated first; any error raises ValidationError with one Indonesian message per row."""
    if selectors.stage_locked(selection=selection, stage=Stage.SKD):
        raise ValidationError(
            [_("SKD scores were signed off: correct a single score with a reason instead of importing.")]
        )
    apps = dict(selection.applications.values_list("participant_number", "pk"))
    errors = _skd_rows_errors(rows=rows, apps=apps)
    if errors:
        raise ValidationError(errors)
    created = SkdScore.objects.bulk_create(
        [
            SkdScore(
                application_id=apps[r["participant_number"]],
                twk=r["twk"],
                tiu=r["tiu"],
                tkp=r["tkp"],
                created_by=by,
            )
            for r in rows
        ]
    )
    _skd_scores_ledger(selection=selection, scores=created, numbers={pk: n for n, pk in apps.items()}, by=by)
    notify(skd_results_apply(selection=selection))
    return len(created)


def _skd_rows_errors(*, rows: list[dict], apps: dict[str, int]) -> list[str]:
    """Every problem of every row (prefixed with its line), or the empty file's one message."""
    errors: list[str] = []
    seen: dict[str, int] = {}
    for row in rows:
        prefix = _("Row %(line)s") % {"line": row["line"]}
        errors += [f"{prefix}: {e}" for e in _skd_row_errors(row=row, apps=apps, seen=seen)]
    if not rows:
        errors.append(_("The file contains no score rows."))
    return errors


def _skd_row_errors(*, row: dict, apps: dict[str, int], seen: dict[str, int]) -> list[str]:
    """One row's problems: an empty, repeated or unknown participant number; scores out of range."""
    line, number = row["line"], row["participant_number"]
    if not number:
        return [_("the participant number is empty.")]
    errors = []
    if number in seen:
        errors.append(
            _("participant %(number)s already appears in row %(first)s.")
            % {"number": number, "first": seen[number]}
        )
    else:
        seen[number] = line
    if number not in apps:
        errors.append(_("participant number %(number)s is not in this selection.") % {"number": number})
    return errors + rules.skd_validate(twk=row["twk"], tiu=row["tiu"], tkp=row["tkp"])


def _skd_scores_ledger(*, selection: Selection, scores: list[SkdScore], numbers: dict[int, str], by) -> None:
    for score in scores:
        ledger_append(
            selection=selection,
            kind="skd_score",
            obj=score,
            actor=by,
            payload={
                "participant_number": numbers[score.application_id],
                "twk": score.twk,
                "tiu": score.tiu,
                "tkp": score.tkp,
            },
        )


@transaction.atomic
def skd_correct(*, application: Application, twk: int, tiu: int, tkp: int, reason: str, by) -> SkdScore:
    """A correction is a new row carrying its reason; the stage then needs a new sign-off."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("A correction needs a reason.")})
    errors = rules.skd_validate(twk=twk, tiu=tiu, tkp=tkp)
    if errors:
        raise ValidationError(errors)
    score = SkdScore(application=application, twk=twk, tiu=tiu, tkp=tkp, reason=reason.strip(), created_by=by)
    score.full_clean()
    score.save()
    ledger_append(
        selection=application.selection,
        kind="skd_correction",
        obj=score,
        actor=by,
        payload={
            "participant_number": application.participant_number,
            "twk": twk,
            "tiu": tiu,
            "tkp": tkp,
            "reason": score.reason,
        },
    )
    notify(skd_results_apply(selection=application.selection))
    return score


# --- SKB -------------------------------------------------------------------------------------------------
@transaction.atomic
def skb_score_record(*, application: Application, panel_member, items: dict, reason: str = "") -> SkbScore:
    """A panel member scores an applicant advancing to SKB with the selection's rubric version (the
    score records it); refused with a declared conflict."""
    if not selectors.panel_assigned(user=panel_member, selection_id=application.selection_id):
        raise ValidationError(_("You are not assigned to this selection."))
    if ConflictDeclaration.objects.filter(application=application, panel_member=panel_member).exists():
        raise ValidationError(
            _("You declared a conflict of interest with this applicant and may not score them.")
        )
    if application.status != Application.Status.SKD_PASSED:
        raise ValidationError(_("This applicant does not advance to SKB."))
    reason = correction_reason(selection=application.selection, stage=Stage.SKB, reason=reason)
    rubric = rule_versions.rubric_of(application.selection)
    value = rules.rubric_score(items, rubric=rubric)
    items = {c["key"]: str(Decimal(str(items[c["key"]]))) for c in rubric}
    score = SkbScore(
        application=application,
        panel_member=panel_member,
        items=items,
        score=value,
        rule=application.selection.skb_rule,
    )
    score.reason = reason
    score.full_clean()
    score.save()
    ledger_append(
        selection=application.selection,
        kind="skb_score",
        obj=score,
        actor=panel_member,
        payload={
            "participant_number": application.participant_number,
            "items": items,
            "score": str(score.score),
            "rule": rule_versions.skb_version_of(application.selection).reference(),
            "reason": reason,
        },
    )
    return score


@transaction.atomic
def conflict_declare(
    *, application: Application, panel_member, relationship: str, note: str = ""
) -> ConflictDeclaration:
    declaration = ConflictDeclaration(
        application=application, panel_member=panel_member, relationship=relationship, note=note
    )
    declaration.full_clean()
    declaration.save()
    ledger_append(
        selection=application.selection,
        kind="conflict",
        obj=declaration,
        actor=panel_member,
        payload={"participant_number": application.participant_number, "relationship": relationship},
    )
    return declaration
