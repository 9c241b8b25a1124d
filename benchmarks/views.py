"""The benchmark's floors: the cheapest possible pages (this app is installed only when benchmarking)."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from asnportal.org.models import Region

from .models import BenchmarkRow


def floor_one_query(request: HttpRequest) -> HttpResponse:
    """A trivial view doing one query."""
    return HttpResponse(f"{Region.objects.count()}", content_type="text/plain")


class FloorForm(forms.Form):
    name = forms.CharField(max_length=100)
    score = forms.IntegerField(min_value=1, max_value=4)


@csrf_exempt
def floor_insert(request: HttpRequest) -> HttpResponse:
    """A bare form-validate-and-insert view."""
    form = FloorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        BenchmarkRow.objects.create(**form.cleaned_data)
        return HttpResponse("ok", content_type="text/plain")
    return HttpResponse("invalid", status=400, content_type="text/plain")
