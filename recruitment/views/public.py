"""Public pages: the published selections, their rankings and result files, the ledger check, and
registering as an applicant."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from asnportal.pagecache import body_cached, page_with_body
from asnportal.params import parse_page
from asnportal.ui.formatting import number_formatter

from .. import exports, rules, selectors, services
from ..forms import RegisterForm
from ..ledger import PROBLEMS
from ..ledger import ledger_verify as verify_chains
from ..models import Formation, Selection
from .common import errors_to_form, form_page

RANKING_PAGE_SIZE = 100


def public_selections(request: HttpRequest) -> HttpResponse:
    return render(
        request, "recruitment/public_selections.html", {"selections": selectors.selections_public()}
    )


def public_selection_or_404(pk: int) -> Selection:
    try:
        return selectors.selection_public_detail(pk=pk)
    except Selection.DoesNotExist:
        raise Http404 from None


def public_selection(request: HttpRequest, pk: int) -> HttpResponse:
    selection = public_selection_or_404(pk)
    return render(
        request,
        "recruitment/public_selection.html",
        {
            "selection": selection,
            "formations": selectors.formations_of(selection=selection),
            "schedule": selectors.schedule_of(selection=selection),
            "announcements": selectors.announcements_of(selection=selection),
            "skd_max": rules.SKD_MAX,
        },
    )


def _result_label(r, labels: dict) -> str:
    if r.passes or r.advances:
        return "" if r.passes else labels["skb"]
    if r.skd_total is None:
        return ""
    return labels["outside"] if r.skd_pass else labels["below"]


def ranking_table(rows: list) -> list[dict]:
    """The ranking's cells as text, numbers formatted once here rather than localised per cell in
    the template (ten cells on each of 100 rows)."""
    fmt = number_formatter(none="–")
    labels = {"skb": _("SKB"), "below": _("Below SKD threshold"), "outside": _("Outside 3× quota")}
    return [
        {
            "rank": fmt(r.final_rank),
            "number": r.participant_number,
            "name": r.full_name,
            "twk": fmt(r.twk),
            "tiu": fmt(r.tiu),
            "tkp": fmt(r.tkp),
            "skd": fmt(r.skd_total),
            "skb": fmt(r.skb),
            "final": fmt(r.final_score),
            "passes": r.passes,
            "result": _result_label(r, labels),
        }
        for r in rows
    ]


def public_ranking(request: HttpRequest, pk: int, formation_pk: int) -> HttpResponse:
    """A formation's published ranking. Read by every applicant at announcement time: its body is
    rendered once per version of the selection's data (the ledger's length moves with every score,
    import and publication; the selection's and formation's own fields and the hashes of the rule
    versions it names are part of the version) and
    kept for RANKING_CACHE_SECONDS at most, for the changes the ledger does not record."""
    selection = public_selection_or_404(pk)
    try:
        formation = selectors.formation_public(selection=selection, pk=formation_pk)
    except Formation.DoesNotExist:
        raise Http404 from None
    number, page_size = parse_page(request.GET.get("page")), RANKING_PAGE_SIZE
    version = (
        "ranking", selection.pk, formation.pk, number, page_size, selectors.ranking_version(selection=selection),
        model_fields(selection), model_fields(formation), selectors.rules_version(selection),
    )  # fmt: skip

    def build() -> str:
        rows, page = selectors.ranking_page(
            selection_id=selection.pk, formation_id=formation.pk, number=number, page_size=page_size
        )
        context = {
            "selection": selection,
            "formation": formation,
            "rows": rows,
            "table": ranking_table(rows),
            "page": page,
            "stages": selectors.stage_status(selection=selection),
            "skd_max": rules.SKD_MAX,
            "rules": selectors.rules_used(selection),
        }
        return render_to_string("recruitment/_public_ranking_body.html", context, request=None)

    body = body_cached(version, build, timeout=settings.RANKING_CACHE_SECONDS)
    context = {"selection": selection, "formation": formation}
    return page_with_body(request, "recruitment/public_ranking.html", context, body=body)


def model_fields(obj) -> tuple:
    """The row's own column values, as loaded (a change to any of them is a new version)."""
    return tuple((f.attname, getattr(obj, f.attname)) for f in obj._meta.concrete_fields)


def export(request: HttpRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    """The published results as a file, for anyone: the announcement itself, with exactly what the
    public ranking page shows (participant number, name, scores; never NIK or birth date), so no
    purpose is asked (unlike officers' exports of personal records, accounts.exports)."""
    selection = public_selection_or_404(pk)
    if kind not in exports.KINDS or fmt not in ("xlsx", "pdf"):
        raise Http404
    return exports.export_response(selection=selection, kind=kind, fmt=fmt)


def ledger_verify(request: HttpRequest) -> HttpResponse:
    reports = verify_chains()
    for report in reports:
        for problem in report.problems:
            problem["label"] = PROBLEMS[problem["problem"]]
    return render(request, "recruitment/ledger_verify.html", {"reports": reports})


def register(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.applicant_register(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account is ready. Complete your personal data next."))
            return redirect("recruitment:applicant_profile")
    return form_page(request, form, heading=_("Register as an applicant"), submit=_("Register"))
