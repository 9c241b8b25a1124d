"""Public pages: anyone checks a certificate by its code (the QR code on the PDF leads here)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from asnportal.params import parse_code

from .. import selectors
from ..forms import CertificateLookupForm
from ..models import Enrollment

CERTIFICATE_CODE_MAX = Enrollment._meta.get_field("certificate_code").max_length


def verify_lookup(request: HttpRequest) -> HttpResponse:
    form = CertificateLookupForm(request.GET or None)
    if form.is_valid():
        code = parse_code(form.cleaned_data["code"], max_length=CERTIFICATE_CODE_MAX)
        if code:
            return redirect("training:verify", code=code.upper())
        # Not the shape of any certificate code: "not found", said as for a code that does not exist.
        context = {"form": form, "enrollment": None, "looked_up": True}
        return render(request, "training/verify.html", context, status=404)
    return render(request, "training/verify.html", {"form": form, "enrollment": None, "looked_up": False})


def verify(request: HttpRequest, code: str) -> HttpResponse:
    wanted = parse_code(code, max_length=CERTIFICATE_CODE_MAX)
    enrollment = selectors.certificate_by_code(code=wanted) if wanted else None
    return render(
        request,
        "training/verify.html",
        {"form": CertificateLookupForm(initial={"code": code}), "enrollment": enrollment, "looked_up": True},
        status=200 if enrollment else 404,
    )
