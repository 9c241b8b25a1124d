"""Restructuring pages: the organisation chart at any date and the forms that change the structure."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asnportal.accounts.access import Role, role_required
from asnportal.org.models import Unit

from . import forms, history, structure
from .views import READERS, _is_hr, _region


@role_required(*READERS)
def chart(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    form = forms.ChartDateForm(request.GET)
    on = (form.is_valid() and form.cleaned_data.get("on")) or timezone.localdate(timezone=region.tzinfo)
    return render(
        request,
        "workforce/chart.html",
        {
            "region": region,
            "form": form,
            "on": on,
            "units": history.org_chart(region_id=region.pk, on=on),
            "changes": history.structure_changes(region_id=region.pk),
            "is_hr": _is_hr(request, region.pk),
        },
    )


def _change_page(
    request,
    region,
    form,
    title,
    intro,
    service,
    arguments,
    *,
    template="workforce/change_form.html",
    extra=None,
):
    """One structure-change form: on a valid POST, `service(region=..., **arguments(data), effective_date,
    user, note)` records the change and the chart opens at its date; else the form (400 with errors)."""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = service(
                region=region,
                **arguments(data),
                effective_date=data["effective_date"],
                user=request.user,
                note=data["note"],
            )
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(change)s recorded from %(date)s (%(n)s employees).")
                % {
                    "change": change.get_kind_display(),
                    "date": change.effective_date,
                    "n": change.employee_count,
                },
            )
            return redirect(f"{reverse('planning:chart')}?on={change.effective_date.isoformat()}")
    context = {"region": region, "form": form, "title": title, "intro": intro, **(extra or {})}
    return render(request, template, context, status=400 if form.errors else 200)


def _pk(obj) -> int | None:
    return obj.pk if obj else None


@role_required(Role.HR_OFFICER)
def reassign(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    picker = forms.UnitPickForm(request.GET, region=region)
    from_unit = picker.cleaned_data.get("unit") if picker.is_valid() else None
    form = forms.ReassignForm(request.POST or None, region=region, from_unit=from_unit)
    return _change_page(
        request,
        region,
        form,
        _("Reassign employees"),
        _("Choose the current unit, then the employees to move."),
        structure.employees_reassign,
        lambda data: {
            "employee_ids": [e.pk for e in data["employees"]],
            "unit_id": data["unit"].pk,
            "position_id": _pk(data["position"]),
        },
        template="workforce/reassign.html",
        extra={"picker": picker, "from_unit": from_unit},
    )


@role_required(Role.HR_OFFICER)
def position_move(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    return _change_page(
        request,
        region,
        forms.PositionMoveForm(request.POST or None, region=region),
        _("Move a position to another unit"),
        _("Every active holder of the position in the first unit moves to the second."),
        structure.position_move,
        lambda data: {
            "position_id": data["position"].pk,
            "from_unit_id": data["from_unit"].pk,
            "to_unit_id": data["to_unit"].pk,
        },
    )


@role_required(Role.HR_OFFICER)
def position_convert(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    return _change_page(
        request,
        region,
        forms.PositionConvertForm(request.POST or None, region=region),
        _("Convert a position"),
        _(
            "For example the equalisation (penyetaraan) of administrative posts to functional positions: every "
            "active holder gets the new position from the effective date."
        ),
        structure.position_convert,
        lambda data: {
            "position_id": data["position"].pk,
            "to_position_id": data["to_position"].pk,
            "unit_id": _pk(data["unit"]),
        },
    )


@role_required(Role.HR_OFFICER)
def unit_merge(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    return _change_page(
        request,
        region,
        forms.MergeForm(request.POST or None, region=region),
        _("Merge units"),
        _(
            "The staff of the merged units move to the target unit, their sub-units are attached to it and the "
            "merged units close."
        ),
        structure.units_merge,
        lambda data: {
            "unit_ids": [u.pk for u in data["units"]],
            "into_unit_id": _pk(data["into_unit"]),
            "new_code": data["new_code"],
            "new_name": data["new_name"],
        },
    )


@role_required(Role.HR_OFFICER)
def unit_split(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    picker = forms.UnitPickForm(request.GET, region=region)
    source: Unit | None = picker.cleaned_data.get("unit") if picker.is_valid() else None
    form = forms.SplitForm(request.POST or None, source=source) if source else None
    if form is None:
        context = {"region": region, "picker": picker, "form": None, "title": _("Split a unit")}
        return render(
            request, "workforce/split.html", context, status=400 if request.method == "POST" else 200
        )
    return _change_page(
        request,
        region,
        form,
        _("Split a unit"),
        "",
        structure.unit_split,
        lambda data: {"unit_id": source.pk, "parts": form.parts(), "close_source": data["close_source"]},
        template="workforce/split.html",
        extra={"picker": picker, "source": source},
    )
