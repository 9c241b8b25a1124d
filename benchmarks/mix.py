"""The realistic load mix of the benchmark, as actions for the locust run (benchmarks.loadtest)."""

import datetime as dt
import urllib.parse

from django.urls import reverse

from .loadtest import Action
from .measure import csrf_for, session_cookie
from .pages import SURVEY_ANSWERS, BenchContext, public_urls


def mix_actions(ctx: BenchContext, base: str) -> list[Action]:
    """The realistic mix: staff logging, supervisors reviewing, citizens answering, heads reading.

    Paths relative to `base` (the locust run's host); each form's CSRF token is fetched from `base` once."""
    from feedback.models import ServiceUnit

    home = reverse("performance:home")
    survey = reverse(
        "feedback:survey", kwargs={"slug": ServiceUnit.objects.filter(region=ctx.region).first().slug}
    )
    staff, supervisor, head = (session_cookie(ctx.users[key]) for key in ("staff", "supervisor", "head"))
    return [
        Action("staff: home", 2, "get", home, headers={"Cookie": staff}),
        _form_post(base, "staff: save a log", 2, home, staff, _log_fields(ctx)),
        Action("staff: log list", 1, "get", reverse("performance:log_list"), headers={"Cookie": staff}),
        Action("supervisor: review queue", 2, "get", reverse("performance:review_queue"),
               headers={"Cookie": supervisor}),
        Action("citizen: survey form", 2, "get", survey),
        _form_post(base, "citizen: submit survey", 2, survey, "", SURVEY_ANSWER),
        Action("head: dashboard", 1, "get", reverse("reports:dashboard") + f"?region={ctx.region.pk}",
               headers={"Cookie": head}),
    ]  # fmt: skip


def announcement_actions(ctx: BenchContext) -> list[Action]:
    """Announcement day: anonymous visitors reading the published ranking and the IKM results, half each."""
    public = public_urls(ctx)
    return [
        Action("public: ranking", 1, "get", public["ranking"]),
        Action("public: IKM results", 1, "get", public["ikm"]),
    ]


SURVEY_ANSWER = {
    **SURVEY_ANSWERS,
    "sex": "L",
    "age_band": "40-49",
    "education": "sma",
    "occupation": "wirausaha",
}


def _log_fields(ctx: BenchContext) -> dict:
    """Today's log of the bench staff member on the first KPI of their plan of the year."""
    from performance.models import Indicator

    today = dt.datetime.now(tz=ctx.region.tzinfo).date()
    indicator = Indicator.objects.filter(
        result__plan__employee=ctx.employees["staff"], result__plan__year=today.year
    ).first()
    return {"date": today.isoformat(), "indicator": indicator.pk, "quantity": "1", "duration_minutes": "60",
            "description": "Uji beban: menyelesaikan dokumen layanan"}  # fmt: skip


def _form_post(base: str, name: str, weight: int, form_url: str, cookie: str, fields: dict) -> Action:
    """A form's POST with the CSRF cookie and token a browser would send back."""
    token_cookie, token = csrf_for(base, form_url, cookie)
    body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token})
    headers = {
        "Cookie": "; ".join(c for c in (cookie, token_cookie) if c),
        "Referer": base + form_url,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return Action(name, weight, "post", form_url, body, headers)
