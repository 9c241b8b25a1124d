"""Catalog set-up: the eligibility of a programme, programmes, materials and sessions."""

from dataclasses import dataclass, field

from django.db import transaction

from asnportal.org.models import Employee

from .. import rules
from ..models import Competency, Material, Programme, Session


@dataclass
class Eligibility:
    ok: bool
    reasons: list[str] = field(default_factory=list)


def eligibility_check(*, programme: Programme, employee: Employee) -> Eligibility:
    """THE eligibility rule of a programme (issue 4: open enrollment, no barrier beyond the stated rule).

    The rule is data on the programme (rules.eligibility_reasons): the position types it is for
    (empty = all) and a minimum rank (empty = none). Returns the reasons on failure.
    """
    reasons = rules.eligibility_reasons(
        active=employee.status == Employee.Status.ACTIVE,
        other_region=programme.region_id is not None and programme.region_id != employee.region_id,
        position_kind=employee.position.kind,
        position_kind_label=employee.position.get_kind_display(),
        eligible_kinds=programme.eligible_position_kinds or [],
        rank=employee.rank,
        min_rank=programme.min_rank,
    )
    return Eligibility(ok=not reasons, reasons=reasons)


def eligibility_describe(*, programme: Programme) -> str:
    """The stated rule in words, as the catalog shows it."""
    return rules.eligibility_text(
        eligible_kinds=programme.eligible_position_kinds or [], min_rank=programme.min_rank
    )


@transaction.atomic
def programme_save(*, programme: Programme, competencies: list[Competency] | None = None) -> Programme:
    """Save a programme; a leadership programme (PKN I/II, PKA, PKP) defaults to its position type."""
    if not programme.eligible_position_kinds:
        programme.eligible_position_kinds = (
            rules.default_position_kinds(programme.kind) or programme.eligible_position_kinds
        )
    programme.full_clean()
    programme.save()
    if competencies is not None:
        programme.competencies.set(competencies)
    return programme


@transaction.atomic
def material_add(*, material: Material, programme: Programme) -> Material:
    """Attach a checked material (a link or an uploaded file) to a programme."""
    material.programme = programme
    material.full_clean()
    material.save()
    return material


@transaction.atomic
def session_save(*, session: Session) -> Session:
    """Save a session; the capacity never drops below the seats already taken (checked in clean)."""
    if session.pk:
        # Read the counter under lock so a concurrent admission cannot slip under a capacity cut.
        session.seats_taken = Session.objects.select_for_update().get(pk=session.pk).seats_taken
    session.full_clean()
    session.save()
    return session
