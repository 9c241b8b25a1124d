from django.urls import path, re_path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("bandingkan/", views.compare, name="compare"),
    path("<int:pk>/unit/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    re_path(r"^(?P<pk>[0-9]+)/unduh\.(?P<fmt>pdf|xlsx)$", views.snapshot_export, name="snapshot_export"),
    path("hitung/", views.run_create, name="run_create"),
    path("hitung/<int:pk>/", views.run_detail, name="run_detail"),
    path("hitung/<int:pk>/ulangi/", views.run_retry, name="run_retry"),
]
