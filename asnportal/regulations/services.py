"""Writes of the rule versions: a new version is appended to its chain, never an old one changed."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asnportal.accounts.access import audit_record

from .models import RuleKind, RuleVersion
from .schemas import parameters_clean


def proposal_check(*, kind: str, effective_from: dt.date | None, parameters: object, reason: str) -> dict:
    """The normalised parameters of a proposal, or a ValidationError with the first wrong value."""
    if kind not in RuleKind.values:
        raise ValidationError(_("Unknown rule."))
    if effective_from is None or effective_from < timezone.localdate():
        raise ValidationError(_("A new version takes effect today or later, never in the past."))
    if not (reason or "").strip():
        raise ValidationError(_("Give the reason for the new version."))
    return parameters_clean(kind, parameters)


@transaction.atomic
def rule_version_create(
    *,
    user,
    kind: str,
    region_id: int | None,
    effective_from: dt.date,
    parameters: object,
    reason: str,
    request=None,
) -> RuleVersion:
    """Append version n+1 of the kind's chain in the scope, its hash linked to version n; ledgered."""
    clean = proposal_check(kind=kind, effective_from=effective_from, parameters=parameters, reason=reason)
    scope = {"region__isnull": True} if region_id is None else {"region_id": region_id}
    last = RuleVersion.objects.select_for_update().filter(kind=kind, **scope).order_by("-number").first()
    version = RuleVersion(
        kind=kind,
        region_id=region_id,
        number=(last.number + 1) if last else 1,
        effective_from=effective_from,
        parameters=clean,
        reason=reason.strip(),
        author=user,
        created_at=timezone.now(),
        previous_hash=last.hash if last else "",
    )
    version.hash = version.content_hash()
    try:
        with transaction.atomic():
            version.save(force_insert=True)
    except IntegrityError:
        raise ValidationError(_("Another version was recorded at the same time; try again.")) from None
    audit_record(
        user=user,
        action="rule_version_create",
        obj=version,
        region_id=region_id,
        request=request,
        detail={"kind": kind, "number": version.number, "hash": version.hash, "reason": version.reason},
    )
    return version


def official_ensure() -> None:
    """Version 1 of each kind where its national chain is empty (a test's flush removes the seed
    migration's rows; the migration itself writes them on a real database)."""
    from .schemas import OFFICIAL
    from .selectors import FIRST_IN_FORCE

    for kind, parameters in OFFICIAL.items():
        if RuleVersion.objects.filter(kind=kind, region__isnull=True).exists():
            continue
        version = RuleVersion(
            kind=kind,
            number=1,
            effective_from=FIRST_IN_FORCE,
            parameters=parameters,
            reason="Nilai awal resmi.",
            created_at=timezone.now(),
        )
        version.hash = version.content_hash()
        version.save(force_insert=True)
