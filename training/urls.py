from django.urls import path

from .views import jp, programmes, public, sessions, staff

app_name = "training"

urlpatterns = [
    path("", staff.catalog, name="catalog"),
    path("kelas/<int:pk>/", staff.session_detail, name="session_detail"),
    path("kelas/<int:pk>/daftar/", staff.enroll, name="enroll"),
    path("pendaftaran/<int:pk>/batal/", staff.cancel, name="cancel"),
    path("pendaftaran/<int:pk>/sertifikat.pdf", staff.certificate, name="certificate"),
    path("pendaftaran/<int:pk>/umpan-balik/", staff.feedback, name="feedback"),
    path("saya/", staff.my_trainings, name="my"),
    path("sertifikat/", public.verify_lookup, name="verify_lookup"),
    path("sertifikat/<str:code>/", public.verify, name="verify"),
    path("kelola/", sessions.manage, name="manage"),
    path("kelola/program/baru/", programmes.programme_create, name="programme_create"),
    path("kelola/program/<int:pk>/", programmes.programme_edit, name="programme_edit"),
    path("kelola/program/<int:pk>/materi/", programmes.material_add, name="material_add"),
    path("kelola/program/<int:pk>/hasil/", programmes.programme_results, name="programme_results"),
    path("kelola/kelas/baru/", sessions.session_create, name="session_create"),
    path("kelola/kelas/<int:pk>/", sessions.session_manage, name="session_manage"),
    path("kelola/kelas/<int:pk>/ubah/", sessions.session_edit, name="session_edit"),
    path("kelola/kelas/<int:pk>/alokasi/", sessions.session_allocate, name="session_allocate"),
    path("kelola/kelas/<int:pk>/presensi/", sessions.attendance, name="attendance"),
    path("kelola/kelas/<int:pk>/selesai/", sessions.session_complete, name="session_complete"),
    path("kelola/jp/", jp.below_20, name="below_20"),
    path("kelola/jp.xlsx", jp.below_20_xlsx, name="below_20_xlsx"),
]
