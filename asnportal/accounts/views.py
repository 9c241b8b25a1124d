import base64

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from . import services
from .access import employee_of, staff_required
from .forms import TokenForm
from .nav import home_url_name_for, nav_items_for


def home(request: HttpRequest) -> HttpResponse:
    """Send each user to the home page of their main role; anonymous visitors see the public front page."""
    if not request.user.is_authenticated:
        return render(request, "accounts/welcome.html", {"public_links": nav_items_for(request.user)})
    url_name = home_url_name_for(request.user)
    if url_name:
        return redirect(url_name)
    if request.user.is_superuser:
        return redirect("admin:index")
    return render(request, "accounts/no_role.html")


@staff_required
def my_profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/my_profile.html", {"employee": request.employee})


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html", {"employee": employee_of(request.user)})


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for the container healthcheck: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Link an authenticator app: scan the QR code, then type the first code to confirm."""
    device = services.otp_device_prepare(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = services.otp_device_confirm(user=request.user, token=form.cleaned_data["token"])
        except ValidationError as exc:
            form.add_error("token", exc)
        else:
            otp_login(request, confirmed)
            return redirect(_next_url(request))
    context = {
        "form": form,
        "qr": services.otp_qr_data_uri(device),
        "secret": base64.b32encode(device.bin_key).decode(),
        "next": _next_url(request),
    }
    return render(request, "accounts/otp_setup.html", context)


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Type the current code of the linked authenticator app."""
    if not user_has_device(request.user):
        return redirect("accounts:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is None:
            form.add_error(
                "token", _("That code is not right. Check the time on your phone and try the newest code.")
            )
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})
