"""The public pages: results per region, the survey, citizen input and its tracking."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asnportal.accounts.access import client_ip
from asnportal.org.models import Region
from asnportal.pagecache import body_cached, page_with_body

from .. import selectors, selectors_public, services, throttle
from ..forms import (
    CitizenInputForm,
    SurveyForm,
    TrackForm,
)
from ..models import CitizenInput, ServiceUnit
from .common import apply_errors, current_quarter


def public_index(request: HttpRequest) -> HttpResponse:
    """Every region's service units, each a link to its survey form (issue 21: one click to a form)."""
    search = request.GET.get("q", "")
    regions = selectors_public.public_index_regions(search=search)
    context = {"regions": regions, "search": search.strip()[:100], "track_form": TrackForm()}
    return render(request, "feedback/public_index.html", context)


def public_region(request: HttpRequest, code: str) -> HttpResponse:
    """The public results of a region. The page is the same for every visitor, so its body is
    rendered once per region, quarter, language and results generation (moderation and every new
    survey response move it, so a hidden item disappears and a new response counts at once) and kept
    for FEEDBACK_PUBLIC_CACHE_SECONDS at most, for changes outside the generation (a service unit's
    name, a population figure). At 200 service units the table alone cost ~80 ms to render.
    Anonymous browsers get an ETag of the body and 304 while it is current (asnportal.pagecache)."""
    region = get_object_or_404(Region, code=code)
    quarter = current_quarter(request, region)
    # a quarter that has not started has no data: the page offers no link to it (issue 21)
    next_open = quarter.next().start <= timezone.localtime(timezone=region.tzinfo).date()
    generation = selectors.region_results_generation(region_id=region.pk)
    version = ("feedback:region-page", region.pk, generation, quarter.key, next_open)

    def build() -> str:
        context = selectors.region_results_cached(region=region, quarter=quarter)
        context["previous"], context["next"] = quarter.previous(), quarter.next() if next_open else None
        return render_to_string("feedback/_public_region_body.html", context)

    body = body_cached(version, build, timeout=settings.FEEDBACK_PUBLIC_CACHE_SECONDS)
    return page_with_body(request, "feedback/public_region.html", {"region": region}, body=body)


def _public_unit(slug: str) -> ServiceUnit:
    return get_object_or_404(ServiceUnit.objects.select_related("region", "unit"), slug=slug, is_active=True)


def _survey_form(
    request: HttpRequest, service_unit: ServiceUnit, *, initial_token: str = "", kiosk: bool = False
) -> SurveyForm:
    form = SurveyForm(
        request.POST or None,
        services=service_unit.services.filter(is_active=True),
        questions=list(service_unit.extra_questions.filter(is_active=True)),
        initial={"token": initial_token},
    )
    if kiosk:  # every response at a counter's tablet comes with its ticket's one-time code
        token = form.fields["token"]
        token.label, token.required = _("Survey code from your ticket"), True
        token.error_messages["required"] = _("Enter the survey code printed on your ticket.")
    return form


def _survey_send(
    request: HttpRequest, service_unit: ServiceUnit, form: SurveyForm, *, kiosk: bool = False
) -> int:
    """Validate the posted form and hand it to the service: 201 when stored, 200 when a kiosk's
    response was already stored, else 400 (or 429) with the errors on the form."""
    if not form.is_valid():
        return 400
    data = form.cleaned_data
    try:
        services.survey_submit(
            service_unit=service_unit,
            answers=form.answers(),
            service=data["service"],
            sex=data["sex"],
            age_band=data["age_band"],
            education=data["education"],
            occupation=data["occupation"],
            comment=data["comment"],
            extra=form.extra(),
            questions=form.questions,
            token=data["token"],
            client_ip=client_ip(request),
            honeypot=data["website"],
            client_key=request.POST.get("client_key", "") if kiosk else "",
            require_code=kiosk,
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        return 400
    except throttle.TooManyCodeGuesses as exc:
        form.add_error("token", str(exc))
        return 429
    except services.AlreadyReceived:
        return 200
    return 201


def survey(request: HttpRequest, slug: str) -> HttpResponse:
    service_unit = _public_unit(slug)
    form = _survey_form(request, service_unit, initial_token=request.GET.get("kode", ""))
    status = 200
    if request.method == "POST":
        status = _survey_send(request, service_unit, form)
        if status < 300:
            return redirect("feedback:survey_thanks", slug=service_unit.slug)
    return render(
        request, "feedback/survey.html", {"service_unit": service_unit, "form": form}, status=status
    )


def survey_kiosk(request: HttpRequest, slug: str) -> HttpResponse:
    """The survey on a service counter's tablet (kiosk mode): the page is kept on the tablet for
    offline use, every response needs a ticket code, and after each response the form is blank again
    for the next citizen. Without JavaScript the form posts here; with it, responses go through the
    tablet's queue to survey_kiosk_sync."""
    service_unit = _public_unit(slug)
    form = _survey_form(request, service_unit, kiosk=True)
    status = 200
    if request.method == "POST":
        status = _survey_send(request, service_unit, form, kiosk=True)
        if status < 300:
            messages.success(request, _("Thank you, your answers have been received. Next, please."))
            return redirect("feedback:survey_kiosk", slug=service_unit.slug)
    return render(request, "feedback/kiosk.html", {"service_unit": service_unit, "form": form}, status=status)


@require_POST
def survey_kiosk_sync(request: HttpRequest, slug: str) -> JsonResponse:
    """One queued kiosk response (the form's fields plus its key `client_key`): JSON `saved`, also
    for a response already stored under the same key, or `refused` with the reason."""
    service_unit = _public_unit(slug)
    form = _survey_form(request, service_unit, kiosk=True)
    status = _survey_send(request, service_unit, form, kiosk=True)
    if status < 300:
        return JsonResponse({"status": "saved"}, status=status)
    reasons = [str(m) for errors in form.errors.values() for m in errors]
    return JsonResponse(
        {"status": "refused", "reason": " ".join(reasons), "errors": form.errors.get_json_data()},
        status=status,
    )


def survey_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    service_unit = _public_unit(slug)
    return render(request, "feedback/survey_thanks.html", {"service_unit": service_unit})


def input_create(request: HttpRequest, slug: str) -> HttpResponse:
    service_unit = _public_unit(slug)
    form = CitizenInputForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.citizen_input_submit(
                service_unit=service_unit,
                kind=data["kind"],
                rating=data["rating"],
                body=data["body"],
                client_ip=client_ip(request),
                honeypot=data["website"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Thank you. Keep your tracking code %(code)s to follow your input.")
                % {"code": item.tracking_code},
            )
            return redirect("feedback:track_detail", code=item.tracking_code)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "feedback/input_form.html", {"service_unit": service_unit, "form": form}, status=status
    )


def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET or None)
    if form.is_valid():
        code = services.token_normalize(form.cleaned_data["code"])
        if services.code_is_plausible(code) and CitizenInput.objects.filter(tracking_code=code).exists():
            return redirect("feedback:track_detail", code=code)
        form.add_error("code", _("No input was found with this tracking code. Check the code and try again."))
    return render(request, "feedback/track.html", {"form": form})


def track_detail(request: HttpRequest, code: str) -> HttpResponse:
    code = services.token_normalize(code)
    if not services.code_is_plausible(code):  # e.g. a NUL byte, which PostgreSQL refuses outright
        raise Http404
    item = get_object_or_404(
        CitizenInput.objects.select_related("service_unit", "service_unit__region"), tracking_code=code
    )
    return render(request, "feedback/track_detail.html", {"item": item})
