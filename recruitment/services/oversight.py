"""Oversight: observers' findings and sign-offs of the score sheets; objections (sanggah) and answers."""

import datetime as dt
import hashlib
import json

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..ledger import ledger_append
from ..models import Application, Objection, ObjectionAnswer, Observation, Selection, SignOff, Stage
from .common import applicant_actor, notify, upload_check


@transaction.atomic
def observation_record(
    *,
    selection: Selection,
    observer,
    observed_at: dt.datetime,
    stage: str,
    location: str,
    finding: str,
    severity: str,
    attachment=None,
) -> Observation:
    observation = Observation(
        selection=selection,
        observer=observer,
        observed_at=observed_at,
        stage=stage,
        location=location,
        finding=finding,
        severity=severity,
    )
    if attachment:
        ext = upload_check(attachment)
        observation.attachment.save(f"observation.{ext}", ContentFile(attachment.read()), save=False)
    observation.full_clean()
    observation.save()
    ledger_append(
        selection=selection,
        kind="observation",
        obj=observation,
        actor=observer,
        payload={"stage": stage, "location": location, "finding": finding, "severity": severity},
    )
    return observation


def stage_sheet(*, selection: Selection, stage: str) -> list[list]:
    """The score sheet in force for a stage, as signed: one line per entry (latest per key)."""
    model = selectors.stage_score_model(stage)
    qs = model.objects.filter(application__selection=selection).order_by("id")
    if stage == Stage.ADMINISTRATION:
        values = qs.values_list("application__participant_number", "met")
        latest = {n: [n, m] for n, m in values}
    elif stage == Stage.SKD:
        latest = {
            n: [n, a, b, c]
            for n, a, b, c in qs.values_list("application__participant_number", "twk", "tiu", "tkp")
        }
    else:
        latest = {
            (n, p): [n, p, str(s)]
            for n, p, s in qs.values_list("application__participant_number", "panel_member_id", "score")
        }
    return [latest[k] for k in sorted(latest)]


@transaction.atomic
def stage_signoff(*, selection: Selection, stage: str, observer, note: str = "") -> SignOff:
    """An assigned observer signs the stage's score sheet as it stands (its digest goes to the ledger)."""
    if stage not in (Stage.ADMINISTRATION, Stage.SKD, Stage.SKB):
        raise ValidationError(_("This stage has no score sheet."))
    if not selectors.observer_assigned(user=observer, selection_id=selection.pk):
        raise ValidationError(_("You are not assigned to this selection."))
    model = selectors.stage_score_model(stage)
    last = (
        model.objects.filter(application__selection=selection)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    if not last:
        raise ValidationError(_("There are no scores to sign off in this stage yet."))
    sheet = stage_sheet(selection=selection, stage=stage)
    digest = hashlib.sha256(json.dumps(sheet, separators=(",", ":")).encode()).hexdigest()
    signoff = SignOff(
        selection=selection,
        stage=stage,
        observer=observer,
        sheet_digest=digest,
        last_score_id=last,
        note=note,
    )
    signoff.full_clean()
    signoff.save()
    ledger_append(
        selection=selection,
        kind="signoff",
        obj=signoff,
        actor=observer,
        payload={"stage": stage, "sheet_digest": digest, "last_score_id": last, "note": note},
    )
    return signoff


# --- Objections --------------------------------------------------------------------------------------------
@transaction.atomic
def objection_file(
    *, application: Application, stage: str, text: str, now: dt.datetime | None = None
) -> Objection:
    """A sanggah is accepted only inside the selection's objection window."""
    now = now or timezone.now()
    selection = application.selection
    if not selection.objection_opens or not selection.objection_closes:
        raise ValidationError(_("The objection period for this selection has not been announced."))
    if now < selection.objection_opens:
        raise ValidationError(_("The objection period has not started yet."))
    if now > selection.objection_closes:
        raise ValidationError(_("The objection period has closed; late objections cannot be accepted."))
    if not (text or "").strip():
        raise ValidationError({"text": _("Describe your objection.")})
    objection = Objection(application=application, stage=stage, text=text.strip())
    objection.full_clean()
    objection.save()
    ledger_append(
        selection=selection,
        kind="objection",
        obj=objection,
        actor=applicant_actor(application),
        payload={
            "participant_number": application.participant_number,
            "stage": stage,
            "text": objection.text,
        },
    )
    return objection


@transaction.atomic
def objection_answer(*, objection: Objection, accepted: bool, text: str, by) -> ObjectionAnswer:
    if ObjectionAnswer.objects.filter(objection=objection).exists():
        raise ValidationError(_("This objection has already been answered."))
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the answer.")})
    answer = ObjectionAnswer(objection=objection, accepted=accepted, text=text.strip(), answered_by=by)
    answer.full_clean()
    answer.save()
    application = objection.application
    ledger_append(
        selection=application.selection,
        kind="objection_answer",
        obj=answer,
        actor=by,
        payload={"objection": objection.pk, "accepted": accepted, "text": answer.text},
    )
    notify([application.pk])
    return answer
