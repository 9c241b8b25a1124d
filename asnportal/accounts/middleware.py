import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import user_has_device

from .security import needs_second_factor

# Pages an officer may open before the second factor: verifying it, linking one (the views decide
# who may), logging out, the language. Recovery codes and resets need a verified session.
OPEN_PREFIXES = (
    "/akun/2fa/verifikasi/",
    "/akun/2fa/pasang/",
    "/akun/2fa/daftar/",
    "/auth/logout/",
    "/i18n/",
    "/jsi18n/",
    "/static/",
    "/healthz/",
)
LAST_SEEN = "officer_last_seen"


class OfficerSecurityMiddleware:
    """Officers (HR, observers, panel members, admins): a verified second factor and an idle timeout."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and needs_second_factor(user):
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            if last_seen and now - last_seen > settings.OFFICER_IDLE_MINUTES * 60:
                logout(request)
                messages.info(request, _("You were logged out after a period of inactivity. Log in again."))
                return redirect(f"{reverse('login')}?{urlencode({'next': request.path})}")
            if not last_seen or now - last_seen > 60:  # one session write a minute, not one a request
                request.session[LAST_SEEN] = now
            if (
                settings.TWO_FACTOR_REQUIRED
                and not user.is_verified()
                and not request.path.startswith(OPEN_PREFIXES)
            ):
                target = "accounts:otp_verify" if user_has_device(user) else "accounts:otp_setup"
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class IndonesianFirstLocaleMiddleware:
    """Bahasa Indonesia unless the user chose English with the switch (a cookie), whatever the
    browser's Accept-Language says: most phones here are set to English."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
