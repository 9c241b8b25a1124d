from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import user_has_device

from . import services
from .access import employee_of, has_role, role_required, staff_required
from .forms import DeviceResetForm, TokenForm, VerifyForm
from .models import RecoveryCodeDevice, Role
from .nav import home_url_name_for, nav_items_for
from .security import enrollment_allowed, unverified_redirect, verified_session_required
from .selectors import enrollment_link_for, second_factor_status, second_factor_users, user_for_device_reset


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
    context = {
        "employee": employee_of(request.user),
        "can_reset_devices": has_role(request.user, Role.HR_OFFICER),
        **second_factor_status(request.user),
    }
    return render(request, "accounts/account.html", context)


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for the container healthcheck: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def _session_verified(request: HttpRequest, device) -> None:
    """Mark the session verified with the device, under a new session key: a key seen while the
    session was only password-authenticated (the verification page) must not become a verified one."""
    otp_login(request, device)
    request.session.cycle_key()


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


PENDING_KEY = "otp_pending_key"


def _pending_key(request: HttpRequest) -> str:
    """The secret being linked, kept in this session only until it is confirmed (nothing is written
    to the user's devices before that, so the current device keeps working)."""
    pending = request.session.get(PENDING_KEY)
    if not pending or pending.get("user") != request.user.pk:
        pending = {"user": request.user.pk, "key": services.otp_secret_new()}
        request.session[PENDING_KEY] = pending
    return pending["key"]


def _enroll(request: HttpRequest, *, link=None) -> HttpResponse:
    key = _pending_key(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.otp_device_enroll(
                user=request.user,
                key=key,
                token=form.cleaned_data["token"],
                session_verified=request.user.is_verified(),
                link=link,
                request=request,
            )
        except ValidationError as exc:
            form.add_error("token", exc)
        else:
            request.session.pop(PENDING_KEY, None)
            _session_verified(request, device)
            if codes:  # shown this once, in the answer to the confirmation; only hashes are kept
                return render(
                    request, "accounts/otp_recovery_codes.html", {"codes": codes, "next": _next_url(request)}
                )
            messages.success(request, _("Your authenticator app is linked."))
            return redirect(_next_url(request))
    context = {
        "form": form,
        "qr": services.otp_qr_data_uri(user=request.user, key=key),
        "secret": services.otp_secret_display(key),
        "next": _next_url(request),
        "replacing": request.user.is_verified(),
    }
    return render(request, "accounts/otp_setup.html", context)


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Link an authenticator app: scan the QR code, then type the first code to confirm.

    A user who has a device must verify this session with it first (a password alone never shows
    a new secret); after an admin's reset only the link they were mailed works."""
    if not enrollment_allowed(request.user, session_verified=request.user.is_verified()):
        if user_has_device(request.user):
            return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': _next_url(request)})}")
        return render(request, "accounts/otp_reset_pending.html", status=403)
    return _enroll(request)


@login_required
def otp_enroll(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link an admin's reset mailed to the user: link a new authenticator app."""
    link = enrollment_link_for(request.user, token)
    if link is None:
        return render(request, "accounts/otp_link_invalid.html", status=404)
    return _enroll(request, link=link)


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Type the current code of the linked authenticator app, or a recovery code."""
    if not user_has_device(request.user):
        return redirect("accounts:otp_setup")
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.otp_token_verify(
                user=request.user, token=form.cleaned_data["token"], request=request
            )
        except ValidationError as exc:
            form.add_error("token", exc)
        else:
            _session_verified(request, device)
            if isinstance(device, RecoveryCodeDevice):
                messages.warning(
                    request,
                    _(
                        "You logged in with a recovery code; it cannot be used again. If you lost your"
                        " phone, link a new authenticator app from My account."
                    ),
                )
            return redirect(_next_url(request))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@verified_session_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """How many recovery codes are left; a POST makes new ones (shown once) and voids the old."""
    if request.method == "POST":
        codes = services.recovery_codes_generate(user=request.user, request=request)
        return render(
            request, "accounts/otp_recovery_codes.html", {"codes": codes, "next": reverse("accounts:account")}
        )
    return render(request, "accounts/otp_recovery.html", second_factor_status(request.user))


@role_required(Role.HR_OFFICER)
@verified_session_required
def device_list(request: HttpRequest) -> HttpResponse:
    """An HR officer's list of the accounts of their region whose second factor they may reset."""
    return render(request, "accounts/otp_devices.html", {"users": second_factor_users(request.user)})


@login_required
def device_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    """Reset a user's second factor, with a reason: their apps and recovery codes are removed and
    they get a one-time enrollment link by mail (a system admin also sees it, to hand it over)."""
    target = user_for_device_reset(request.user, user_id)  # 403 / 404 first, then the factor
    if unverified := unverified_redirect(request):
        return unverified
    form = DeviceResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token = services.otp_device_reset(
                user=target, by=request.user, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as exc:
            form.add_error("reason", exc)
        else:
            link = request.build_absolute_uri(reverse("accounts:otp_enroll", args=[token]))
            context = {"target": target, "link": link if request.user.is_superuser else None}
            return render(request, "accounts/otp_reset_done.html", context)
    return render(request, "accounts/otp_reset.html", {"form": form, "target": target})
