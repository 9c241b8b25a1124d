"""Every write of the feedback app: keyword-only, typed, transactional (DESIGN.md §4 SKM/IKM)."""

import datetime as dt
import re
import secrets
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from asnportal.accounts.access import audit_record
from asnportal.org.models import Unit

from . import selectors, throttle
from .models import (
    CitizenInput,
    ExtraAnswer,
    ExtraQuestion,
    Service,
    ServicePopulation,
    ServiceUnit,
    SurveyAnswer,
    SurveyResponse,
    SurveyToken,
    TokenBatch,
)
from .rules import ELEMENT_CODES, score_is_valid

TOKEN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - no 0/O, 1/I: codes are typed from paper
TOKEN_LENGTH = 8
TRACKING_LENGTH = 10
INPUT_MIN_LENGTH = 10  # a complaint or suggestion needs a few words (the form asks the same)
TOKEN_BATCH_MAX = 1000
# Any HTML-looking tag: comments are plain text; they are also always shown escaped.
TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>|<\s*script", re.IGNORECASE)


def _random_code(length: int) -> str:
    return "".join(secrets.choice(TOKEN_ALPHABET) for _i in range(length))


def token_normalize(raw: str) -> str:
    """Codes are printed as XXXX-XXXX; accept them with spaces, dashes and in lower case."""
    return re.sub(r"[\s-]", "", raw or "").upper()


CODE_RE = re.compile(r"[A-Z0-9]{1,16}")


def code_is_plausible(code: str) -> bool:
    """A normalized survey or tracking code can only be letters and digits (at most 16, the column's
    width): anything else (NUL bytes, markup, SQL, odd scripts) is refused before it reaches a query."""
    return bool(CODE_RE.fullmatch(code or ""))


def token_display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == TOKEN_LENGTH else code


# Control characters other than tab and newline (C0, DEL, C1): invisible, refused by PostgreSQL (NUL) or
# by spreadsheets (the XLSX export), and never meant by a person typing in a form.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value: object) -> str:
    """Public free text as stored: line breaks made \\n, other control characters dropped, trimmed."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_RE.sub("", text).strip()


def _check_plain_text(value: str, field: str) -> None:
    if TAG_RE.search(value or ""):
        raise ValidationError(
            {field: _("Please write plain text: HTML tags and scripts are not accepted in this field.")}
        )


# --- set-up by HR -----------------------------------------------------------------------------------


@transaction.atomic
def service_unit_create(*, unit: Unit, name: str, address: str = "", slug: str = "") -> ServiceUnit:
    """A service unit belongs to an OPD of its region; its public survey link is a unique slug."""
    base = slugify(slug or f"{unit.region.code}-{name}")[:50] or "unit"
    candidate, n = base, 1
    while ServiceUnit.objects.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    service_unit = ServiceUnit(region=unit.region, unit=unit, name=name, address=address, slug=candidate)
    service_unit.full_clean()
    service_unit.save()
    return service_unit


@transaction.atomic
def service_unit_update(
    *, service_unit: ServiceUnit, name: str, address: str, is_active: bool
) -> ServiceUnit:
    service_unit.name, service_unit.address, service_unit.is_active = name, address, is_active
    service_unit.full_clean()
    service_unit.save()
    return service_unit


@transaction.atomic
def service_add(*, service_unit: ServiceUnit, name: str) -> Service:
    service = Service(service_unit=service_unit, name=name)
    service.full_clean()
    service.save()
    return service


@transaction.atomic
def extra_question_add(*, service_unit: ServiceUnit, text: str, kind: str) -> ExtraQuestion:
    """Extra questions are the unit's own; they are stored apart and never enter the IKM (§4)."""
    _check_plain_text(text, "text")
    order = service_unit.extra_questions.count() + 1
    question = ExtraQuestion(service_unit=service_unit, text=text, kind=kind, order=order)
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def extra_question_toggle(*, question: ExtraQuestion) -> ExtraQuestion:
    question.is_active = not question.is_active
    question.save(update_fields=["is_active"])
    return question


@transaction.atomic
def population_set(*, service_unit: ServiceUnit, year: int, quarter: int, users: int) -> ServicePopulation:
    """The number of service users per quarter: the N of the Krejcie-Morgan minimum sample (§4)."""
    row = ServicePopulation.objects.filter(service_unit=service_unit, year=year, quarter=quarter).first()
    row = row or ServicePopulation(service_unit=service_unit, year=year, quarter=quarter)
    row.users = users
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def token_batch_create(*, service_unit: ServiceUnit, size: int, user=None) -> TokenBatch:
    """A batch of one-time codes to print on service tickets."""
    if not 1 <= size <= TOKEN_BATCH_MAX:
        raise ValidationError(
            {"size": _("Choose between 1 and %(max)d codes per batch.") % {"max": TOKEN_BATCH_MAX}}
        )
    batch = TokenBatch(service_unit=service_unit, size=size, created_by=user)
    batch.full_clean()
    batch.save()
    codes: set[str] = set()
    while len(codes) < size:
        codes.add(_random_code(TOKEN_LENGTH))
    taken = set(SurveyToken.objects.filter(code__in=codes).values_list("code", flat=True))
    while taken:  # astronomically rare: replace collisions with existing codes
        codes -= taken
        fresh = {_random_code(TOKEN_LENGTH) for _i in range(len(taken))} - codes
        codes |= fresh
        taken = set(SurveyToken.objects.filter(code__in=fresh).values_list("code", flat=True))
    SurveyToken.objects.bulk_create(
        [SurveyToken(batch=batch, service_unit=service_unit, code=code) for code in sorted(codes)]
    )
    return batch


# --- the anonymous survey ---------------------------------------------------------------------------


def _survey_validate(
    *,
    service_unit: ServiceUnit,
    answers: Mapping[str, object],
    service: Service | None,
    comment: str,
    extra: Mapping[int, object],
    questions: list[ExtraQuestion],
) -> None:
    if not service_unit.is_active:
        raise ValidationError(_("This service unit is not taking survey responses at the moment."))
    missing = [code for code in ELEMENT_CODES if code not in answers]
    if missing:
        raise ValidationError(_("Please answer all nine survey questions."))
    unknown = set(answers) - set(ELEMENT_CODES)
    if unknown or not all(score_is_valid(answers[code]) for code in ELEMENT_CODES):
        raise ValidationError(_("Each answer must be a value from 1 to 4."))
    if service is not None and service.service_unit_id != service_unit.pk:
        raise ValidationError({"service": _("Choose a service of this unit.")})
    _check_plain_text(comment, "comment")
    by_id = {q.pk: q for q in questions}
    for qid, value in extra.items():
        question = by_id.get(qid)
        if question is None:
            raise ValidationError(_("An extra question is not part of this survey."))
        if question.kind == ExtraQuestion.Kind.SCALE and value is not None and not score_is_valid(value):
            raise ValidationError(_("Each answer must be a value from 1 to 4."))
        if question.kind == ExtraQuestion.Kind.TEXT:
            _check_plain_text(str(value or ""), "comment")


def survey_submit(
    *,
    service_unit: ServiceUnit,
    answers: Mapping[str, object],
    service: Service | None = None,
    sex: str = "",
    age_band: str = "",
    education: str = "",
    occupation: str = "",
    comment: str = "",
    extra: Mapping[int, object] | None = None,
    questions: list[ExtraQuestion] | None = None,
    token: str = "",
    client_ip: str | None = None,
    honeypot: str = "",
) -> SurveyResponse:
    """Record one anonymous SKM response (PermenPANRB 14/2017: 9 elements, each 1-4).

    With a one-time code, the code is spent by a conditional UPDATE ... WHERE used_at IS NULL in the
    same transaction, so two simultaneous submissions cannot both use it; wrong codes are counted per
    address (throttle.code_guess_open: TooManyCodeGuesses past the limit, even for a right code). Without
    a code the flood guards apply (per address, per unit, honeypot) and the duplicate guard, a unique
    fingerprint claimed in the response's transaction. The response keeps no token, no IP and no time
    of day. Any error: ValidationError (or TooManyCodeGuesses), no response saved.
    """
    extra = {qid: clean_text(v) if isinstance(v, str) else v for qid, v in dict(extra or {}).items()}
    comment = clean_text(comment)
    questions = list(
        questions if questions is not None else service_unit.extra_questions.filter(is_active=True)
    )
    if honeypot:
        raise ValidationError(_("Your submission could not be accepted. Please try again."))
    _survey_validate(
        service_unit=service_unit,
        answers=answers,
        service=service,
        comment=comment,
        extra=extra,
        questions=questions,
    )
    profile = {
        "sex": sex,
        "age_band": age_band,
        "education": education,
        "occupation": occupation,
        "comment": comment,
    }
    code = token_normalize(token)
    if not code:
        fingerprint = throttle.digest(
            "survey", service_unit.pk, client_ip, sorted(answers.items()), comment.lower()
        )
        _guard_flood(service_unit=service_unit, client_ip=client_ip, fingerprint=fingerprint)
        with transaction.atomic():
            throttle.duplicate_claim(fingerprint)
            response = _survey_save(
                service_unit=service_unit, service=service, answers=answers, extra=extra, **profile
            )
            transaction.on_commit(lambda: throttle.remember(fingerprint))
        return response
    with transaction.atomic():  # holds the address's wrong-code counter until the code is decided
        counter = throttle.code_guess_open(client_ip)
        spent = code_is_plausible(code) and SurveyToken.objects.filter(
            service_unit=service_unit, code=code, used_at__isnull=True
        ).update(used_at=timezone.now())
        if spent == 1:
            return _survey_save(
                service_unit=service_unit, service=service, answers=answers, extra=extra, **profile
            )
        throttle.code_guess_failed(counter)  # committed with the counter; nothing else was written
    raise ValidationError(
        {"token": _("This survey code is not valid for this unit or has already been used.")}
    )


def _survey_save(
    *,
    service_unit: ServiceUnit,
    service: Service | None,
    answers: Mapping[str, object],
    extra: Mapping[int, object],
    sex: str,
    age_band: str,
    education: str,
    occupation: str,
    comment: str,
) -> SurveyResponse:
    response = SurveyResponse(
        service_unit=service_unit,
        service=service,
        submitted_on=timezone.localtime(timezone=service_unit.region.tzinfo).date(),
        sex=sex,
        age_band=age_band,
        education=education,
        occupation=occupation,
        comment=comment,
    )
    # The unit and the service were checked above; skip the per-FK existence queries.
    response.full_clean(exclude=["service_unit", "service"])
    response.save()
    SurveyAnswer.objects.bulk_create(
        [SurveyAnswer(response=response, element=code_, value=answers[code_]) for code_ in ELEMENT_CODES]
    )
    rows = []
    for qid, value in extra.items():
        if value in (None, ""):
            continue
        if isinstance(value, int):
            rows.append(ExtraAnswer(response=response, question_id=qid, value=value))
        else:
            rows.append(ExtraAnswer(response=response, question_id=qid, text=clean_text(value)))
    if rows:
        ExtraAnswer.objects.bulk_create(rows)
    return response


def _guard_flood(*, service_unit: ServiceUnit, client_ip: str | None, fingerprint: str) -> None:
    outcome = throttle.guard(
        fingerprint=fingerprint,
        ip_key=f"ip:{throttle.digest('ip', client_ip)}",
        unit_key=f"unit:{service_unit.pk}",
    )
    if outcome == throttle.DUPLICATE:
        raise ValidationError(_("This response has already been received. Thank you, once is enough."))
    if outcome == throttle.IP_OVER:
        raise ValidationError(_("Too many submissions from your network. Please try again later."))
    if outcome == throttle.UNIT_OVER:
        raise ValidationError(
            _("This unit is receiving too many submissions right now. Please try again later.")
        )


# --- citizen input ------------------------------------------------------------------------------------


def citizen_input_submit(
    *,
    service_unit: ServiceUnit,
    kind: str,
    body: str,
    rating: int | None = None,
    client_ip: str | None = None,
    honeypot: str = "",
) -> CitizenInput:
    """A complaint, suggestion or staff-service rating; the citizen keeps the tracking code."""
    if honeypot:
        raise ValidationError(_("Your submission could not be accepted. Please try again."))
    if not service_unit.is_active:
        raise ValidationError(_("This service unit is not taking input at the moment."))
    body = clean_text(body)
    if len(body) < INPUT_MIN_LENGTH:
        raise ValidationError({"body": _("Write at least %(n)d characters.") % {"n": INPUT_MIN_LENGTH}})
    _check_plain_text(body, "body")
    if kind == CitizenInput.Kind.RATING:
        if not (isinstance(rating, int) and 1 <= rating <= 5):
            raise ValidationError({"rating": _("Choose a rating from 1 to 5 stars.")})
    else:
        rating = None
    fingerprint = throttle.digest("input", service_unit.pk, client_ip, kind, body.lower())
    _guard_flood(service_unit=service_unit, client_ip=client_ip, fingerprint=fingerprint)
    with transaction.atomic():
        throttle.duplicate_claim(fingerprint)
        item = CitizenInput(
            service_unit=service_unit,
            kind=kind,
            rating=rating,
            body=body,
            tracking_code=_random_code(TRACKING_LENGTH),
        )
        item.full_clean()
        item.save()
        transaction.on_commit(lambda: throttle.remember(fingerprint))
    return item


def _locked(item: CitizenInput) -> CitizenInput:
    return CitizenInput.objects.select_for_update(of=("self",)).select_related("service_unit").get(pk=item.pk)


def _audit(item: CitizenInput, user, action: str, **detail) -> None:
    # Moderation of public input is traceable: who published, answered or hid what, and why.
    audit_record(
        user=user,
        action=f"feedback_input_{action}",
        obj=item,
        region_id=item.service_unit.region_id,
        detail=detail,
    )


@transaction.atomic
def citizen_input_publish(*, item: CitizenInput, user) -> CitizenInput:
    """HR publishes input on the public results page (it waits there for the unit's answer)."""
    item = _locked(item)
    if item.status != CitizenInput.Status.PENDING:
        raise ValidationError(_("Only input waiting for moderation can be published."))
    item.status = CitizenInput.Status.PUBLISHED
    item.moderated_by = user
    item.full_clean()
    item.save()
    _audit(item, user, "publish")
    selectors.region_results_changed(region_id=item.service_unit.region_id)
    return item


@transaction.atomic
def citizen_input_answer(*, item: CitizenInput, answer: str, user) -> CitizenInput:
    """The unit's answer, shown publicly with the input (publishes it if it was pending)."""
    item = _locked(item)
    answer = clean_text(answer)
    if not answer:
        raise ValidationError({"answer": _("Write the unit's answer.")})
    _check_plain_text(answer, "answer")
    if item.status == CitizenInput.Status.HIDDEN:
        raise ValidationError(_("Hidden input cannot be answered publicly."))
    item.answer = answer
    item.answered_at = item.answered_at or timezone.now()
    item.status = CitizenInput.Status.ANSWERED
    item.moderated_by = user
    item.full_clean()
    item.save()
    _audit(item, user, "answer")
    selectors.region_results_changed(region_id=item.service_unit.region_id)
    return item


@transaction.atomic
def citizen_input_hide(*, item: CitizenInput, reason: str, user) -> CitizenInput:
    """Abusive content is hidden from the public, always with a reason the citizen can read."""
    item = _locked(item)
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Give the reason for hiding this input.")})
    _check_plain_text(reason, "reason")
    item.status = CitizenInput.Status.HIDDEN
    item.hidden_reason = reason
    item.moderated_by = user
    item.full_clean()
    item.save()
    _audit(item, user, "hide", reason=reason)
    selectors.region_results_changed(region_id=item.service_unit.region_id)
    return item


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1
