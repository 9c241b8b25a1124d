"""HR: the programmes of the catalog, their materials and their participants' feedback."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asnportal.accounts.access import get_in_scope, require_role, role_required

from .. import selectors, services
from ..forms import MaterialForm, ProgrammeForm
from ..models import Programme
from .common import HR


@role_required(HR)
def programme_create(request: HttpRequest) -> HttpResponse:
    regions = sorted(request.role_regions)
    form = ProgrammeForm(request.POST or None, instance=Programme(region_id=regions[0] if regions else None))
    if request.method == "POST" and form.is_valid():
        programme = form.save(commit=False)
        services.programme_save(programme=programme, competencies=list(form.cleaned_data["competencies"]))
        messages.success(request, _("Programme saved."))
        return redirect("training:programme_edit", pk=programme.pk)
    return render(
        request,
        "training/form.html",
        {"form": form, "heading": _("New programme"), "submit_label": _("Save programme")},
    )


def _programme_in_scope(request: HttpRequest, pk: int) -> Programme:
    return get_in_scope(request.user, selectors.programmes(), role=HR, pk=pk)


def _programme_page(request: HttpRequest, programme: Programme, *, form, material_form) -> HttpResponse:
    return render(
        request,
        "training/programme_edit.html",
        {
            "form": form,
            "material_form": material_form,
            "programme": programme,
            "materials": selectors.materials_of(programme=programme),
        },
    )


@role_required(HR)
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme's form (POST saves it); its materials are added through material_add."""
    programme = _programme_in_scope(request, pk)
    form = ProgrammeForm(request.POST or None, instance=programme, prefix="p")
    if request.method == "POST" and form.is_valid():
        services.programme_save(
            programme=form.save(commit=False), competencies=list(form.cleaned_data["competencies"])
        )
        messages.success(request, _("Programme saved."))
        return redirect("training:programme_edit", pk=programme.pk)
    return _programme_page(request, programme, form=form, material_form=MaterialForm(prefix="m"))


@require_POST
@role_required(HR)
def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a material (a link or a checked file) to a programme; a bad one shows the page again."""
    programme = _programme_in_scope(request, pk)
    material_form = MaterialForm(request.POST, request.FILES, prefix="m")
    if material_form.is_valid():
        try:
            services.material_add(material=material_form.save(commit=False), programme=programme)
        except ValidationError as exc:
            material_form.add_error(None, exc)
        else:
            messages.success(request, _("Material added."))
            return redirect("training:programme_edit", pk=programme.pk)
    form = ProgrammeForm(instance=programme, prefix="p")
    return _programme_page(request, programme, form=form, material_form=material_form)


@role_required(HR)
def programme_results(request: HttpRequest, pk: int) -> HttpResponse:
    regions = require_role(request.user, HR)
    programme = get_object_or_404(selectors.programmes_in_reach(region_ids=regions), pk=pk)
    results = selectors.programme_results(programme=programme, region_ids=request.role_regions)
    return render(request, "training/programme_results.html", {"programme": programme, **results})
