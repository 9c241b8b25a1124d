"""Every write of the recruitment app: keyword-only, transactional, each appended to the ledger."""

import datetime as dt
import hashlib
import json
from decimal import ROUND_HALF_UP, Decimal

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from asnportal.accounts.models import Role, RoleAssignment, User
from asnportal.org.nip import nik_parse
from asnportal.tasking import enqueue, mail_queue

from . import selectors
from .ledger import ledger_append
from .models import (
    DEFAULT_RUBRIC,
    TIU_MAX,
    TKP_MAX,
    TWK_MAX,
    Announcement,
    ApplicantProfile,
    Application,
    ConflictDeclaration,
    Document,
    Formation,
    Objection,
    ObjectionAnswer,
    Observation,
    ScreeningDecision,
    Selection,
    SignOff,
    SkbScore,
    SkdScore,
    Stage,
)

ALLOWED_UPLOADS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def _notify(application_ids: list[int]) -> None:
    """Queue the status emails with the caller's transaction (composed by the job, at send time)."""
    if application_ids:
        enqueue("recruitment.status_emails", application_ids=list(application_ids))


def status_emails_queue(*, application_ids: list[int]) -> int:
    """Tell each applicant their application's current status: one outbox mail each; how many."""
    sent = 0
    applications = Application.objects.filter(pk__in=application_ids).select_related("selection", "user")
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        for application in applications:
            if not application.user.email:
                continue
            mail_queue(
                to=[application.user.email],
                subject=_("Your application status: %(selection)s") % {"selection": application.selection},
                body=_(
                    "Participant number %(number)s\nSelection: %(selection)s\nStatus: %(status)s\n\n"
                    "Follow your application at %(url)s"
                )
                % {
                    "number": application.participant_number,
                    "selection": application.selection,
                    "status": application.get_status_display(),
                    "url": f"{settings.SITE_URL}/rekrutmen/pelamar/",
                },
                about=application,
            )
            sent += 1
    return sent


# --- Selections ------------------------------------------------------------------------------------
@transaction.atomic
def selection_create(
    *, region, year: int, name: str, created_by, formations: list[dict], **fields
) -> Selection:
    """Open a selection with its formations (dicts of position_id, unit_id, education, quota).

    Thresholds and weights default to §4 (TWK 65, TIU 80, TKP 166; SKD 40% / SKB 60%)."""
    selection = Selection(region=region, year=year, name=name, created_by=created_by, **fields)
    selection.full_clean()
    selection.save()
    for spec in formations:
        formation_add(selection=selection, **spec)
    return selection


def formation_add(
    *, selection: Selection, position_id: int, unit_id: int, education: str, quota: int
) -> Formation:
    formation = Formation(
        selection=selection, position_id=position_id, unit_id=unit_id, education=education, quota=quota
    )
    formation.full_clean()
    if formation.position.region_id != selection.region_id or formation.unit.region_id != selection.region_id:
        raise ValidationError(_("The position and unit must belong to the selection's region."))
    formation.save()
    return formation


def announcement_publish(*, selection: Selection, title: str, body: str, by) -> Announcement:
    announcement = Announcement(selection=selection, title=title, body=body, published_at=timezone.now())
    announcement.full_clean()
    announcement.save()
    ledger_append(
        selection=selection,
        kind="announcement",
        obj=announcement,
        actor=by,
        payload={"title": title, "body": body},
    )
    return announcement


# --- Applicants --------------------------------------------------------------------------------------
def applicant_actor(application: Application) -> str:
    """How an applicant is named in the append-only ledger: by participant number, never by their
    username (an email address), so the retention purge leaves no personal data in the chain."""
    return f"pelamar:{application.participant_number}"


@transaction.atomic
def applicant_register(*, email: str, password: str, full_name: str) -> User:
    """An applicant account: a user with the applicant role (no region) and an empty profile."""
    email = email.strip().lower()
    if (
        User.objects.filter(username__iexact=email).exists()
        or User.objects.filter(email__iexact=email).exists()
    ):
        raise ValidationError({"email": _("An account with this email already exists.")})
    user = User(username=email, email=email, first_name=full_name[:150])
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    RoleAssignment.objects.create(user=user, role=Role.APPLICANT, region=None)
    ApplicantProfile.objects.create(user=user, full_name=full_name)
    return user


def applicant_profile_update(
    *,
    profile: ApplicantProfile,
    full_name: str,
    nik: str,
    birth_date: dt.date,
    address: str,
    phone: str,
    education: str,
) -> ApplicantProfile:
    """NIK: 16 digits with a real date part (female day + 40) that must equal the birth date."""
    nik = nik.strip().replace(" ", "").replace("-", "").replace(".", "")
    if not (nik.isascii() and nik.isdigit()):
        # str.isdigit() also accepts e.g. "²" or Arabic-Indic digits, on which nik_parse's int() fails.
        raise ValidationError({"nik": _("The NIK must be exactly 16 digits (0-9).")})
    nik_birth, _sex = nik_parse(nik)
    if nik_birth != birth_date:
        raise ValidationError(
            {"birth_date": _("The birth date does not match the date inside the NIK (digits 7-12).")}
        )
    profile.full_name, profile.nik, profile.birth_date = full_name, nik, birth_date
    profile.address, profile.phone, profile.education = address, phone, education
    profile.purged_at = None  # data entered again after a retention purge
    profile.full_clean()
    profile.save()
    return profile


def _content_intact(upload, mime: str) -> bool:
    """Beyond the magic bytes: a PDF must end with its %%EOF marker, an image must decode (Pillow)."""
    upload.seek(0)
    if mime == "application/pdf":
        upload.seek(max(upload.size - 2048, 0))
        tail = upload.read()
        upload.seek(0)
        return b"%%EOF" in tail
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(upload) as image:
            if image.width * image.height > 80_000_000:  # a decompression bomb
                return False
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return False
    finally:
        upload.seek(0)
    return True


def upload_check(upload) -> str:
    """Size limit and real content (magic bytes and structure, not the name): returns the extension."""
    if not upload.size:
        raise ValidationError(_("The file is empty."))
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is too large (at most %(mb)s MB)."),
            params={"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_UPLOADS:
        raise ValidationError(_("The file is not a PDF, JPEG or PNG document (its content was checked)."))
    if not _content_intact(upload, kind.mime):
        raise ValidationError(
            _("The file looks like a %(kind)s but its content is damaged or incomplete. Upload it again.")
            % {"kind": ALLOWED_UPLOADS[kind.mime].upper()}
        )
    return ALLOWED_UPLOADS[kind.mime]


def document_upload(*, profile: ApplicantProfile, kind: str, upload) -> Document:
    ext = upload_check(upload)
    document = Document(profile=profile, kind=kind, content_type=f"{ext}", size=upload.size)
    document.file.save(f"{kind}.{ext}", ContentFile(upload.read()), save=False)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def application_submit(*, user, formation: Formation, today: dt.date | None = None) -> Application:
    """One formation per selection; the same NIK twice in a selection is refused (constraint)."""
    selection = Selection.objects.select_for_update().get(pk=formation.selection_id)
    today = today or timezone.localdate()
    profile = ApplicantProfile.objects.filter(user=user).first()
    if profile is None or not profile.is_complete:
        raise ValidationError(_("Complete your personal data (NIK, birth date, address, phone) first."))
    if (selection.registration_opens and today < selection.registration_opens) or (
        selection.registration_closes and today > selection.registration_closes
    ):
        raise ValidationError(_("Registration for this selection is not open."))
    if Application.objects.filter(selection=selection, user=user).exists():
        raise ValidationError(_("You have already applied to a formation in this selection."))
    if Application.objects.filter(selection=selection, nik=profile.nik).exists():
        raise ValidationError(_("An application with this NIK already exists in this selection."))
    number = Application.objects.filter(selection=selection).count() + 1
    application = Application(
        selection=selection,
        formation=formation,
        user=user,
        participant_number=f"{selection.year}{selection.region_id:02d}{selection.pk:04d}{number:06d}",
        full_name=profile.full_name,
        nik=profile.nik,
        birth_date=profile.birth_date,
    )
    application.full_clean()
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise ValidationError(_("An application with this NIK already exists in this selection.")) from None
    ledger_append(
        selection=selection,
        kind="application",
        obj=application,
        actor=applicant_actor(application),
        payload={"participant_number": application.participant_number, "formation": formation.pk},
    )
    _notify([application.pk])
    return application


# --- Stage locking ---------------------------------------------------------------------------------
def _correction_reason(*, selection: Selection, stage: str, reason: str) -> str:
    reason = (reason or "").strip()
    if selectors.stage_locked(selection=selection, stage=stage) and not reason:
        raise ValidationError(
            _("The scores of this stage were signed off: a correction needs a reason and a new sign-off.")
        )
    return reason


# --- Administrative screening ------------------------------------------------------------------------
@transaction.atomic
def screening_decide(*, application: Application, met: bool, reason: str, by) -> ScreeningDecision:
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    _correction_reason(selection=application.selection, stage=Stage.ADMINISTRATION, reason=reason)
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
        _notify([application.pk])
    return decision


# --- SKD -----------------------------------------------------------------------------------------------
def skd_validate(*, twk, tiu, tkp) -> list[str]:
    """The CAT item maxima (§4): TWK 0-150, TIU 0-175, TKP 0-225, whole numbers."""
    errors = []
    for label, value, maximum in (("TWK", twk, TWK_MAX), ("TIU", tiu, TIU_MAX), ("TKP", tkp, TKP_MAX)):
        if not isinstance(value, int) or not 0 <= value <= maximum:
            errors.append(
                _("%(label)s must be a whole number from 0 to %(max)s (got %(value)s).")
                % {"label": label, "max": maximum, "value": "" if value is None else value}
            )
    return errors


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
    errors: list[str] = []
    seen: dict[str, int] = {}
    for row in rows:
        line, number = row["line"], row["participant_number"]
        prefix = _("Row %(line)s") % {"line": line}
        if not number:
            errors.append(f"{prefix}: " + _("the participant number is empty."))
            continue
        if number in seen:
            errors.append(
                f"{prefix}: "
                + _("participant %(number)s already appears in row %(first)s.")
                % {"number": number, "first": seen[number]}
            )
        else:
            seen[number] = line
        if number not in apps:
            errors.append(
                f"{prefix}: "
                + _("participant number %(number)s is not in this selection.") % {"number": number}
            )
        errors += [f"{prefix}: {e}" for e in skd_validate(twk=row["twk"], tiu=row["tiu"], tkp=row["tkp"])]
    if not rows:
        errors.append(_("The file contains no score rows."))
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
    numbers = {pk: n for n, pk in apps.items()}
    for score in created:
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
    _notify(skd_results_apply(selection=selection))
    return len(created)


@transaction.atomic
def skd_correct(*, application: Application, twk: int, tiu: int, tkp: int, reason: str, by) -> SkdScore:
    """A correction is a new row carrying its reason; the stage then needs a new sign-off."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("A correction needs a reason.")})
    errors = skd_validate(twk=twk, tiu=tiu, tkp=tkp)
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
    _notify(skd_results_apply(selection=application.selection))
    return score


# --- SKB -------------------------------------------------------------------------------------------------
def rubric_score(items: dict) -> Decimal:
    """The weighted mean of the rubric items (each 0-100), rounded to 2 decimals."""
    total = Decimal(0)
    for criterion in DEFAULT_RUBRIC:
        value = items.get(criterion["key"])
        if value is None or not 0 <= Decimal(str(value)) <= 100:
            raise ValidationError(
                _("%(criterion)s must be a score from 0 to 100.") % {"criterion": criterion["label"]}
            )
        total += Decimal(str(value)) * criterion["weight"]
    return (total / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def skb_score_record(*, application: Application, panel_member, items: dict, reason: str = "") -> SkbScore:
    """A panel member scores an applicant advancing to SKB; refused with a declared conflict."""
    if not selectors.panel_assigned(user=panel_member, selection_id=application.selection_id):
        raise ValidationError(_("You are not assigned to this selection."))
    if ConflictDeclaration.objects.filter(application=application, panel_member=panel_member).exists():
        raise ValidationError(
            _("You declared a conflict of interest with this applicant and may not score them.")
        )
    if application.status != Application.Status.SKD_PASSED:
        raise ValidationError(_("This applicant does not advance to SKB."))
    reason = _correction_reason(selection=application.selection, stage=Stage.SKB, reason=reason)
    value = rubric_score(items)
    items = {c["key"]: str(Decimal(str(items[c["key"]]))) for c in DEFAULT_RUBRIC}
    score = SkbScore(application=application, panel_member=panel_member, items=items, score=value)
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


# --- Observers -------------------------------------------------------------------------------------------
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
    _notify([application.pk])
    return answer


@transaction.atomic
def selection_from_proposal(*, proposal_id: int, created_by) -> Selection:
    """Open a selection whose formations are an approved workforce proposal's rows, in one step.

    The proposal is marked as opened in the same transaction, so a second attempt is refused.
    """
    from workforce import selectors as planning_selectors
    from workforce import services as planning_services
    from workforce.models import FormationProposal

    proposal = FormationProposal.objects.select_related("region").get(pk=proposal_id)
    rows = planning_selectors.proposal_formations(proposal_id=proposal_id)
    if not rows:
        raise ValidationError(_("This proposal has no formation to open."))
    selection = selection_create(
        region=proposal.region,
        year=proposal.year,
        name=_("CASN selection %(year)s — %(region)s")
        % {"year": proposal.year, "region": proposal.region.name},
        created_by=created_by,
        formations=[{k: row[k] for k in ("position_id", "unit_id", "education", "quota")} for row in rows],
    )
    planning_services.proposal_mark_opened(proposal_id=proposal_id, selection_ref=f"selection:{selection.pk}")
    return selection
