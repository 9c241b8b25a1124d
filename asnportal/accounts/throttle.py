"""Throttles of the log-in and password-reset forms, with their state shared by every process.

- Log-in (django-axes, attempts in the database): a lock per (username, address) after
  AXES_FAILURE_LIMIT failures and a lock per address, whatever usernames it tries, after the higher
  AXES_IP_FAILURE_LIMIT. Axes compares every parameter combination against one limit, so the handler
  below scales each combination's count to that limit.
- Password reset: at most PASSWORD_RESET_EMAIL_LIMIT mails per email address and
  PASSWORD_RESET_IP_LIMIT mails per client address in PASSWORD_RESET_WINDOW_MINUTES, counted in
  the shared cache (Redis). Over the limit the visitor sees the same "if the address exists, we sent
  a mail" page and no mail goes out, so the answer reveals nothing.
"""

import contextlib
import hashlib
import hmac

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.db.models import Sum
from django.http import HttpResponseRedirect
from django.utils import timezone

from .access import client_ip


class LimitPerParameterHandler(AxesDatabaseHandler):
    """Axes' database handler with AXES_IP_FAILURE_LIMIT for the address alone.

    Axes locks when get_failures() reaches AXES_FAILURE_LIMIT; each combination's failures are scaled
    to that limit (failures * base // own limit), so a combination reaches it exactly at its own."""

    @staticmethod
    def _own_limit(parameter, base: int) -> int:
        return settings.AXES_IP_FAILURE_LIMIT if parameter in ("ip_address", ["ip_address"]) else base

    def get_failures(self, request, credentials: dict | None = None) -> int:
        base = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.get_user_attempts(request, credentials)  # one queryset per parameter
        worst = 0
        for parameter, attempts in zip(parameters, attempts_list, strict=True):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            worst = max(worst, failures * base // self._own_limit(parameter, base))
        return worst

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """A successful log-in clears its username's attempts only: an attacker holding one account
        must not wipe the count of an address that is trying everybody else's passwords."""
        parameters = get_lockout_parameters(request, credentials)
        count = 0
        for parameter, attempts in zip(
            parameters, self.filter_user_attempts(request, credentials), strict=True
        ):
            if not isinstance(parameter, str) and "username" in parameter:
                count += attempts.delete()[0]
        return count


def _digest(*parts: object) -> str:
    message = "|".join(str(p) for p in parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]


class _Window:
    """A counter under `key` over the last `window` seconds, in the shared cache.

    A sliding window estimated from two fixed ones (the previous one weighted by how much of it still
    overlaps), so a burst across a window boundary does not get twice the limit. take() counts with
    Redis' atomic INCR and gives the unit back when over the limit, so parallel requests cannot
    overshoot and refused requests use up nothing. The clock is Django's (tests can travel past a
    window); the counters expire on their own."""

    def __init__(self, key: str, *, limit: int, window: int) -> None:
        bucket, self.offset = divmod(int(timezone.now().timestamp()), window)
        self.current, self.previous = f"throttle:{key}:{bucket}", f"throttle:{key}:{bucket - 1}"
        self.limit, self.window = limit, window

    def take(self) -> bool:
        earlier = cache.get(self.previous, 0) * (self.window - self.offset) / self.window
        cache.add(self.current, 0, timeout=2 * self.window)
        try:
            count = cache.incr(self.current)
        except ValueError:  # expired between add and incr
            cache.set(self.current, 1, timeout=2 * self.window)
            count = 1
        if earlier + count <= self.limit:
            return True
        self.give_back()
        return False

    def give_back(self) -> None:
        with contextlib.suppress(ValueError):  # the counter expired meanwhile: nothing to give back
            cache.decr(self.current)


def password_reset_allowed(*, email: str, client_ip: str | None) -> bool:
    """Take one reset mail from the client address's and the email address's allowance (both kept as
    keyed hashes); False, taking nothing, when either is used up. Known address or not, the same."""
    window = settings.PASSWORD_RESET_WINDOW_MINUTES * 60
    by_ip = _Window(
        f"pwreset:ip:{_digest('ip', client_ip)}", limit=settings.PASSWORD_RESET_IP_LIMIT, window=window
    )
    by_email = _Window(
        f"pwreset:email:{_digest('email', email.strip().lower())}",
        limit=settings.PASSWORD_RESET_EMAIL_LIMIT,
        window=window,
    )
    if not by_ip.take():
        return False
    if not by_email.take():
        by_ip.give_back()
        return False
    return True


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, which sends no mail over the limits but answers the same."""

    def form_valid(self, form):
        if password_reset_allowed(email=form.cleaned_data["email"], client_ip=client_ip(self.request)):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())
