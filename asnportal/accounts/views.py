from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from .access import employee_of, staff_required
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
