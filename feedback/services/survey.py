"""The anonymous SKM survey (DESIGN.md §4 SKM/IKM): validation, the one-time code, the flood guards."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors, throttle
from ..models import (
    ExtraAnswer,
    ExtraQuestion,
    Service,
    ServiceUnit,
    SurveyAnswer,
    SurveyResponse,
    SurveyToken,
)
from ..rules import ELEMENT_CODES, score_is_valid
from .common import _check_plain_text, _guard_flood, clean_text, code_is_plausible, token_normalize


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


def _survey_record(
    *,
    service_unit: ServiceUnit,
    answers: Mapping[str, object],
    service: Service | None,
    comment: str,
    profile: dict[str, str],
    extra: Mapping[int, object] | None,
    questions: list[ExtraQuestion] | None,
    honeypot: str,
) -> dict:
    """The response as _survey_save will store it (free text cleaned), once it is known to be acceptable."""
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
    return {
        "service_unit": service_unit,
        "service": service,
        "answers": answers,
        "extra": extra,
        "profile": {**profile, "comment": comment},
    }


def _survey_submit_open(*, record: dict, client_ip: str | None) -> SurveyResponse:
    """Without a code: the flood guards, then the duplicate guard, a unique fingerprint claimed in the
    response's transaction (remembered in the cache once it commits)."""
    service_unit, comment = record["service_unit"], record["profile"]["comment"]
    fingerprint = throttle.digest(
        "survey", service_unit.pk, client_ip, sorted(record["answers"].items()), comment.lower()
    )
    _guard_flood(service_unit=service_unit, client_ip=client_ip, fingerprint=fingerprint)
    with transaction.atomic():
        throttle.duplicate_claim(fingerprint)
        response = _survey_save(**record)
        transaction.on_commit(lambda: throttle.remember(fingerprint))
    return response


class AlreadyReceived(Exception):
    """A kiosk sent again a queued response that was already stored (its code spent by the same key)."""


def _survey_submit_with_code(
    *, record: dict, code: str, client_ip: str | None, client_key: str = ""
) -> SurveyResponse:
    """The code is spent by a conditional UPDATE ... WHERE used_at IS NULL in the response's
    transaction, so two simultaneous submissions cannot both use it; a wrong code is counted against
    the address. A kiosk's re-send (the code spent with the same `client_key`) is AlreadyReceived,
    neither stored again nor counted as a wrong code, so a tablet flushing its queue twice is not
    locked out; any other use of a spent code is refused and counted."""
    tokens = SurveyToken.objects.filter(service_unit=record["service_unit"], code=code)
    if client_key and code_is_plausible(code) and tokens.filter(client_key=client_key).exists():
        raise AlreadyReceived
    with transaction.atomic():  # holds the address's wrong-code counter until the code is decided
        counter = throttle.code_guess_open(client_ip)
        spent = code_is_plausible(code) and tokens.filter(used_at__isnull=True).update(
            used_at=timezone.now(), client_key=client_key
        )
        if spent == 1:
            return _survey_save(**record)
        if client_key and tokens.filter(client_key=client_key).exists():  # a simultaneous re-send won
            raise AlreadyReceived
        throttle.code_guess_failed(counter)  # committed with the counter; nothing else was written
    raise ValidationError(
        {"token": _("This survey code is not valid for this unit or has already been used.")}
    )


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
    client_key: str = "",
    require_code: bool = False,
) -> SurveyResponse:
    """Record one anonymous SKM response (PermenPANRB 14/2017: 9 elements, each 1-4).

    With a one-time code, the code is spent by a conditional UPDATE ... WHERE used_at IS NULL in the
    same transaction, so two simultaneous submissions cannot both use it; wrong codes are counted per
    address (throttle.code_guess_open: TooManyCodeGuesses past the limit, even for a right code). Without
    a code the flood guards apply (per address, per unit, honeypot) and the duplicate guard, a unique
    fingerprint claimed in the response's transaction. The response keeps no token, no IP and no time
    of day. Any error: ValidationError (or TooManyCodeGuesses), no response saved.

    A kiosk (`require_code`) takes coded responses only: its tablet sends many responses from one
    address, which the per-address flood guard of code-less responses would refuse, while each code
    is still spent once. Its queued response carries a `client_key`; sending it again raises
    AlreadyReceived instead of counting a reused code.
    """
    record = _survey_record(
        service_unit=service_unit,
        answers=answers,
        service=service,
        comment=comment,
        profile={"sex": sex, "age_band": age_band, "education": education, "occupation": occupation},
        extra=extra,
        questions=questions,
        honeypot=honeypot,
    )
    code = token_normalize(token)
    if not code and require_code:
        raise ValidationError({"token": _("Enter the survey code printed on your ticket.")})
    if not code:
        return _survey_submit_open(record=record, client_ip=client_ip)
    return _survey_submit_with_code(
        record=record, code=code, client_ip=client_ip, client_key=client_key.strip()[:64]
    )


def _survey_save(
    *,
    service_unit: ServiceUnit,
    service: Service | None,
    answers: Mapping[str, object],
    extra: Mapping[int, object],
    profile: Mapping[str, str],
) -> SurveyResponse:
    response = SurveyResponse(
        service_unit=service_unit,
        service=service,
        submitted_on=timezone.localtime(timezone=service_unit.region.tzinfo).date(),
        **profile,  # sex, age band, education, occupation and comment
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
    # the public results (and their page's ETag) include this response from its commit on
    selectors.region_responses_changed(region_id=service_unit.region_id)
    return response
