"""Writes of workforce planning: settings, workload analyses, ratios, figures, formation proposals.

Restructuring (placements, unit and position changes) lives in structure/.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asnportal.org.models import Position, PositionKind, Region, Unit

from . import selectors
from .models import (
    FormationProposal,
    FormationProposalRow,
    RegionFigure,
    RegionPlanningSetting,
    RetirementAge,
    ServiceRatio,
    WorkloadAnalysis,
    WorkloadTask,
)


@transaction.atomic
def planning_setting_update(*, region_id: int, effective_hours: int) -> RegionPlanningSetting:
    """ABK divisor: effective working hours per year of a region (default 1,250)."""
    setting, _created = RegionPlanningSetting.objects.select_for_update().get_or_create(region_id=region_id)
    setting.effective_hours = effective_hours
    setting.full_clean()
    setting.save()
    return setting


@transaction.atomic
def retirement_age_set(*, region_id: int, kind: str, level: str, age: int) -> RetirementAge:
    """Retirement age per position type (and level) as data, overriding the PP 11/2017 defaults."""
    from asnportal.org.models import LEVELS_BY_KIND

    if level and level not in LEVELS_BY_KIND.get(kind, ()):
        raise ValidationError({"level": _("This level does not belong to the chosen position type.")})
    row = (
        RetirementAge.objects.select_for_update().filter(region_id=region_id, kind=kind, level=level).first()
    )
    row = row or RetirementAge(region_id=region_id, kind=kind, level=level)
    row.age = age
    row.full_clean()
    row.save()
    return row


# --- workload analysis -------------------------------------------------------------------------------


@transaction.atomic
def workload_analysis_create(
    *, region_id: int, unit: Unit, position: Position, year: int
) -> WorkloadAnalysis:
    """One ABK per unit, position and year."""
    analysis = WorkloadAnalysis(region_id=region_id, unit=unit, position=position, year=year)
    analysis.full_clean()
    analysis.save()
    return analysis


@transaction.atomic
def workload_task_add(
    *,
    analysis: WorkloadAnalysis,
    name: str,
    volume: Decimal,
    standard_time: Decimal,
    time_unit: str,
    output: str = "",
) -> WorkloadTask:
    """A task of an ABK: yearly volume and standard time must both be positive."""
    errors = {}
    if volume is None or volume <= 0:
        errors["volume"] = _("The yearly volume must be greater than zero.")
    if standard_time is None or standard_time <= 0:
        errors["standard_time"] = _("The standard time must be greater than zero.")
    if errors:
        raise ValidationError(errors)
    task = WorkloadTask(
        analysis=analysis,
        name=name.strip(),
        output=output.strip(),
        volume=volume,
        standard_time=standard_time,
        time_unit=time_unit,
    )
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def workload_task_delete(*, task: WorkloadTask) -> None:
    task.delete()


# --- service ratios and figures ----------------------------------------------------------------------


@transaction.atomic
def service_ratio_create(
    *, region_id: int, name: str, measure: str, unit: Unit, position: Position, staff: Decimal, per: int
) -> ServiceRatio:
    """A service ratio (e.g. 1 nurse per 1,000 inhabitants) mapped to a position in a unit."""
    if staff is None or staff <= 0 or per is None or per < 1:
        raise ValidationError(_("A ratio needs a positive number of staff per a positive figure."))
    ratio = ServiceRatio(
        region_id=region_id,
        name=name.strip(),
        measure=measure,
        unit=unit,
        position=position,
        staff=staff,
        per=per,
    )
    ratio.full_clean()
    ratio.save()
    return ratio


@transaction.atomic
def service_ratio_delete(*, ratio: ServiceRatio) -> None:
    ratio.delete()


@transaction.atomic
def region_figure_set(
    *, region_id: int, year: int, measure: str, value: int, source: str = ""
) -> RegionFigure:
    """Population or pupil figure of a region for a year (one per measure and year; replaced)."""
    figure = (
        RegionFigure.objects.select_for_update()
        .filter(region_id=region_id, year=year, measure=measure)
        .first()
    )
    figure = figure or RegionFigure(region_id=region_id, year=year, measure=measure)
    figure.value, figure.source = value, source.strip()
    figure.full_clean()
    figure.save()
    return figure


# --- formation proposals --------------------------------------------------------------------------------

EDUCATION_BY_KIND = {
    PositionKind.FUNGSIONAL_KEAHLIAN: "S-1/D-IV",
    PositionKind.FUNGSIONAL_KETERAMPILAN: "D-III",
    PositionKind.PELAKSANA: "SMA/SMK/D-III",
}


def _proposable_gaps(*, region: Region, year: int, on: dt.date) -> list[dict]:
    """Rows with a positive gap in 5 years, of positions a CASN selection fills (managerial posts are
    filled by promotion)."""
    rows = [
        r
        for r in selectors.gap_rows(region_id=region.pk, year=year, on=on)
        if (r["gap_future"] or 0) > 0 and r["position_kind"] in EDUCATION_BY_KIND
    ]
    if not rows:
        raise ValidationError(_("There is no positive gap to propose for %(year)s.") % {"year": year})
    return rows


def _proposal_row(proposal: FormationProposal, r: dict) -> FormationProposalRow:
    return FormationProposalRow(
        proposal=proposal,
        position_id=r["position_id"],
        unit_id=r["unit_id"],
        education=EDUCATION_BY_KIND[r["position_kind"]],
        quota=r["gap_future"],
        justification=_("Needed %(needed)s, in post %(in_post)s, retiring within 5 years %(retiring)s.")
        % {"needed": r["needed"], "in_post": r["in_post"], "retiring": r["retiring"]},
    )


@transaction.atomic
def proposal_create_from_gaps(
    *, region: Region, year: int, user, on: dt.date | None = None
) -> FormationProposal:
    """Turn the gaps of a year (needed − in post + retiring in 5 years, where positive) into a draft.

    Managerial posts are filled by promotion, not by a CASN selection, so they are left out.
    """
    exists = _("A formation proposal for %(year)s already exists.") % {"year": year}
    if FormationProposal.objects.filter(region=region, year=year).exists():
        raise ValidationError(exists)
    rows = _proposable_gaps(region=region, year=year, on=on or timezone.localdate())
    proposal = FormationProposal(region=region, year=year, created_by=user)
    proposal.full_clean()
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError:  # a concurrent request created it first (unique region and year)
        raise ValidationError(exists) from None
    FormationProposalRow.objects.bulk_create([_proposal_row(proposal, r) for r in rows])
    return proposal


def _locked(proposal_id: int) -> FormationProposal:
    return FormationProposal.objects.select_for_update().get(pk=proposal_id)


def _require_draft(proposal: FormationProposal) -> None:
    if proposal.status != FormationProposal.Status.DRAFT:
        raise ValidationError(_("Only a draft proposal can be changed."))


@transaction.atomic
def proposal_row_save(
    *,
    proposal_id: int,
    unit: Unit,
    position: Position,
    education: str,
    quota: int,
    justification: str,
    row_id: int | None = None,
) -> FormationProposalRow:
    """Add or edit a row of a draft proposal (quota at least 1, unit and position of its region)."""
    proposal = _locked(proposal_id)
    _require_draft(proposal)
    if unit.region_id != proposal.region_id or position.region_id != proposal.region_id:
        raise ValidationError(_("The unit and the position must belong to the proposal's region."))
    if row_id:
        row = proposal.rows.get(pk=row_id)
    else:  # the same unit and position again replaces that formation
        row = proposal.rows.filter(unit=unit, position=position).first() or FormationProposalRow(
            proposal=proposal
        )
    row.unit, row.position = unit, position
    row.education, row.quota, row.justification = education.strip(), quota, justification.strip()
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def proposal_row_delete(*, proposal_id: int, row_id: int) -> None:
    proposal = _locked(proposal_id)
    _require_draft(proposal)
    proposal.rows.filter(pk=row_id).delete()


@transaction.atomic
def proposal_submit(*, proposal_id: int) -> FormationProposal:
    """draft -> submitted: at least one row, every row with its education requirement."""
    proposal = _locked(proposal_id)
    _require_draft(proposal)
    rows = proposal.rows.all()
    if not rows.exists():
        raise ValidationError(_("Add at least one formation before submitting."))
    if rows.filter(education="").exists():
        raise ValidationError(_("Every formation needs its required education before submitting."))
    proposal.status = FormationProposal.Status.SUBMITTED
    proposal.submitted_at = timezone.now()
    proposal.save(update_fields=["status", "submitted_at"])
    return proposal


@transaction.atomic
def proposal_approve(*, proposal_id: int, user) -> FormationProposal:
    """submitted -> approved (recorded with who and when)."""
    proposal = _locked(proposal_id)
    if proposal.status != FormationProposal.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted proposal can be approved."))
    proposal.status = FormationProposal.Status.APPROVED
    proposal.approved_by, proposal.approved_at = user, timezone.now()
    proposal.save(update_fields=["status", "approved_by", "approved_at"])
    return proposal


@transaction.atomic
def proposal_return(*, proposal_id: int) -> FormationProposal:
    """submitted -> draft, to correct it."""
    proposal = _locked(proposal_id)
    if proposal.status != FormationProposal.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted proposal can be returned to draft."))
    proposal.status, proposal.submitted_at = FormationProposal.Status.DRAFT, None
    proposal.save(update_fields=["status", "submitted_at"])
    return proposal


@transaction.atomic
def proposal_mark_opened(*, proposal_id: int, selection_ref: str) -> FormationProposal:
    """Record that a selection was opened from an approved proposal; a second time is refused."""
    selection_ref = (selection_ref or "").strip()
    if not selection_ref:
        raise ValidationError(_("The selection reference is missing."))
    proposal = _locked(proposal_id)
    if proposal.status != FormationProposal.Status.APPROVED:
        raise ValidationError(_("Only an approved formation proposal can open a selection."))
    if proposal.selection_ref:
        raise ValidationError(
            _("A selection (%(ref)s) has already been opened from this proposal.")
            % {"ref": proposal.selection_ref}
        )
    proposal.selection_ref, proposal.opened_at = selection_ref[:100], timezone.now()
    proposal.full_clean()
    proposal.save(update_fields=["selection_ref", "opened_at"])
    return proposal
