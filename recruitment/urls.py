from django.urls import path

from . import views

app_name = "recruitment"

urlpatterns = [
    path("", views.public_selections, name="public_selections"),
    path("seleksi/<int:pk>/", views.public_selection, name="public_selection"),
    path(
        "seleksi/<int:pk>/formasi/<int:formation_pk>/peringkat/", views.public_ranking, name="public_ranking"
    ),
    path("seleksi/<int:pk>/ekspor/<str:kind>.<str:fmt>", views.export, name="export"),
    path("seleksi/<int:pk>/lamar/", views.apply, name="apply"),
    path("rekam-jejak/", views.ledger_verify, name="ledger_verify"),
    path("daftar/", views.register, name="register"),
    path("pelamar/", views.applicant_dashboard, name="applicant_dashboard"),
    path("pelamar/data/", views.applicant_profile, name="applicant_profile"),
    path("pelamar/dokumen/", views.document_upload, name="document_upload"),
    path("dokumen/<int:pk>/", views.document_file, name="document_file"),
    path("pelamar/lamaran/<int:pk>/sanggah/", views.objection_file, name="objection_file"),
    path("kelola/", views.hr_selections, name="hr_selections"),
    path("kelola/baru/", views.selection_create, name="selection_create"),
    path(
        "kelola/dari-usulan/<int:proposal_pk>/", views.selection_from_proposal, name="selection_from_proposal"
    ),
    path("kelola/<int:pk>/", views.hr_selection, name="hr_selection"),
    path("kelola/<int:pk>/formasi/", views.formation_add, name="formation_add"),
    path("kelola/<int:pk>/pengumuman/", views.announcement_create, name="announcement_create"),
    path("kelola/<int:pk>/impor-skd/", views.skd_import, name="skd_import"),
    path("kelola/lamaran/<int:pk>/administrasi/", views.screen, name="screen"),
    path("kelola/lamaran/<int:pk>/koreksi-skd/", views.skd_correct, name="skd_correct"),
    path("kelola/sanggah/<int:pk>/", views.objection_answer, name="objection_answer"),
    path("pengamat/", views.observer_home, name="observer_home"),
    path("pengamat/<int:pk>/", views.observer_selection, name="observer_selection"),
    path("pengamat/<int:pk>/pengamatan/", views.observation_create, name="observation_create"),
    path("pengamat/<int:pk>/tanda-tangan/", views.signoff, name="signoff"),
    path("penguji/", views.panel_queue, name="panel_queue"),
    path("penguji/lamaran/<int:pk>/nilai/", views.skb_score, name="skb_score"),
    path("penguji/lamaran/<int:pk>/konflik/", views.conflict_declare, name="conflict_declare"),
]
