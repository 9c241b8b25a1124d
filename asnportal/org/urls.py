from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("pegawai/", views.directory, name="directory"),
    path("pegawai/unduh.xlsx", views.directory_xlsx, name="directory_xlsx"),
    path("pegawai/baru/", views.employee_create, name="employee_create"),
    path("pegawai/<int:pk>/", views.employee_detail, name="employee_detail"),
    path("pegawai/<int:pk>/ubah/", views.employee_edit, name="employee_edit"),
    path("unit/", views.units, name="units"),
    path("impor/", views.import_list, name="import_list"),
    path("impor/unggah/", views.import_upload, name="import_upload"),
    path("impor/templat.xlsx", views.import_template, name="import_template"),
    path("impor/<int:pk>/", views.import_detail, name="import_detail"),
    path("impor/<int:pk>/progres/", views.import_progress, name="import_progress"),
    path("impor/<int:pk>/ulangi/", views.import_retry, name="import_retry"),
    path("impor/<int:pk>/galat.xlsx", views.import_errors_download, name="import_errors"),
]
