from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView
from django.views.i18n import JavaScriptCatalog

from asnportal.accounts import views as account_views
from asnportal.accounts.throttle import ThrottledPasswordResetView

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz/", account_views.healthz, name="healthz"),
    # The installable app: the service worker at the root so that its scope covers every page.
    path(
        "sw.js",
        TemplateView.as_view(template_name="pwa/sw.js", content_type="application/javascript"),
        name="pwa_sw",
    ),
    path(
        "manifest.webmanifest",
        TemplateView.as_view(
            template_name="pwa/manifest.webmanifest", content_type="application/manifest+json"
        ),
        name="pwa_manifest",
    ),
    # Before Django's auth URLs: the same name and path, with mails limited per address and client.
    path("auth/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("auth/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("asnportal.accounts.urls")),
    path("org/", include("asnportal.org.urls")),
    path("aturan/", include("asnportal.regulations.urls")),
    path("perencanaan/", include("workforce.urls")),
    path("laporan/", include("reports.urls")),
    path("rekrutmen/", include("recruitment.urls")),
    path("pelatihan/", include("training.urls")),
    path("kinerja/", include("performance.urls")),
    path("survei/", include("feedback.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]
if settings.BENCHMARKS:
    urlpatterns.append(path("_bench/", include("benchmarks.urls")))
