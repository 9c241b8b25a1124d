"""Citizen input (complaints, suggestions, ratings) and its moderation by HR."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asnportal.accounts.access import audit_record

from .. import selectors, throttle
from ..models import CitizenInput, ServiceUnit
from .common import TRACKING_LENGTH, _check_plain_text, _guard_flood, _random_code, clean_text

INPUT_MIN_LENGTH = 10  # a complaint or suggestion needs a few words (the form asks the same)


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
