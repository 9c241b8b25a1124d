from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("kelas/<int:pk>/", views.session_detail, name="session_detail"),
    path("kelas/<int:pk>/daftar/", views.enroll, name="enroll"),
    path("pendaftaran/<int:pk>/batal/", views.cancel, name="cancel"),
    path("pendaftaran/<int:pk>/sertifikat.pdf", views.certificate, name="certificate"),
    path("pendaftaran/<int:pk>/umpan-balik/", views.feedback, name="feedback"),
    path("saya/", views.my_trainings, name="my"),
    path("sertifikat/", views.verify_lookup, name="verify_lookup"),
    path("sertifikat/<str:code>/", views.verify, name="verify"),
    path("kelola/", views.manage, name="manage"),
    path("kelola/program/baru/", views.programme_create, name="programme_create"),
    path("kelola/program/<int:pk>/", views.programme_edit, name="programme_edit"),
    path("kelola/program/<int:pk>/hasil/", views.programme_results, name="programme_results"),
    path("kelola/kelas/baru/", views.session_create, name="session_create"),
    path("kelola/kelas/<int:pk>/", views.session_manage, name="session_manage"),
    path("kelola/kelas/<int:pk>/ubah/", views.session_edit, name="session_edit"),
    path("kelola/kelas/<int:pk>/alokasi/", views.session_allocate, name="session_allocate"),
    path("kelola/kelas/<int:pk>/presensi/", views.attendance, name="attendance"),
    path("kelola/kelas/<int:pk>/selesai/", views.session_complete, name="session_complete"),
    path("kelola/jp/", views.below_20, name="below_20"),
    path("kelola/jp.xlsx", views.below_20_xlsx, name="below_20_xlsx"),
]
