from django.urls import path

from . import views
from .views import applicants, hr, observers, panel, public

app_name = "recruitment"

urlpatterns = [
    path("", public.public_selections, name="public_selections"),
    path("seleksi/<int:pk>/", public.public_selection, name="public_selection"),
    path(
        "seleksi/<int:pk>/formasi/<int:formation_pk>/peringkat/", views.public_ranking, name="public_ranking"
    ),
    path("seleksi/<int:pk>/ekspor/<str:kind>.<str:fmt>", public.export, name="export"),
    path("seleksi/<int:pk>/lamar/", applicants.apply, name="apply"),
    path("rekam-jejak/", public.ledger_verify, name="ledger_verify"),
    path("daftar/", public.register, name="register"),
    path("pelamar/", applicants.applicant_dashboard, name="applicant_dashboard"),
    path("pelamar/data/", applicants.applicant_profile, name="applicant_profile"),
    path("pelamar/dokumen/", applicants.document_upload, name="document_upload"),
    path("dokumen/<int:pk>/", applicants.document_file, name="document_file"),
    path("pelamar/lamaran/<int:pk>/sanggah/", applicants.objection_file, name="objection_file"),
    path("kelola/", hr.hr_selections, name="hr_selections"),
    path("kelola/baru/", hr.selection_create, name="selection_create"),
    path("kelola/dari-usulan/<int:proposal_pk>/", hr.selection_from_proposal, name="selection_from_proposal"),
    path("kelola/<int:pk>/", hr.hr_selection, name="hr_selection"),
    path("kelola/<int:pk>/formasi/", hr.formation_add, name="formation_add"),
    path("kelola/<int:pk>/pengumuman/", hr.announcement_create, name="announcement_create"),
    path("kelola/<int:pk>/impor-skd/", hr.skd_import, name="skd_import"),
    path("kelola/lamaran/<int:pk>/administrasi/", hr.screen, name="screen"),
    path("kelola/lamaran/<int:pk>/koreksi-skd/", hr.skd_correct, name="skd_correct"),
    path("kelola/sanggah/<int:pk>/", hr.objection_answer, name="objection_answer"),
    path("pengamat/", observers.observer_home, name="observer_home"),
    path("pengamat/<int:pk>/", observers.observer_selection, name="observer_selection"),
    path("pengamat/<int:pk>/pengamatan/", observers.observation_create, name="observation_create"),
    path("pengamat/<int:pk>/tanda-tangan/", observers.signoff, name="signoff"),
    path("penguji/", panel.panel_queue, name="panel_queue"),
    path("penguji/lamaran/<int:pk>/nilai/", panel.skb_score, name="skb_score"),
    path("penguji/lamaran/<int:pk>/konflik/", panel.conflict_declare, name="conflict_declare"),
]
