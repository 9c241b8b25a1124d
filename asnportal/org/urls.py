from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("pegawai/", views.directory, name="directory"),
    path("pegawai/<int:pk>/", views.employee_detail, name="employee_detail"),
]
