from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("", views.public_index, name="public_index"),
    path("hasil/<slug:code>/", views.public_region, name="public_region"),
    path("s/<slug:slug>/", views.survey, name="survey"),
    path("s/<slug:slug>/terima-kasih/", views.survey_thanks, name="survey_thanks"),
    path("s/<slug:slug>/kiosk/", views.survey_kiosk, name="survey_kiosk"),
    path("s/<slug:slug>/kiosk/kirim/", views.survey_kiosk_sync, name="survey_kiosk_sync"),
    path("s/<slug:slug>/masukan/", views.input_create, name="input_create"),
    path("lacak/", views.track, name="track"),
    path("lacak/<str:code>/", views.track_detail, name="track_detail"),
    path("kelola/", views.manage, name="manage"),
    path("kelola/unit/baru/", views.unit_create, name="unit_create"),
    path("kelola/unit/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("kelola/unit/<int:pk>/ubah/", views.unit_edit, name="unit_edit"),
    path("kelola/unit/<int:pk>/layanan/", views.service_add, name="service_add"),
    path("kelola/unit/<int:pk>/pertanyaan/", views.question_add, name="question_add"),
    path("kelola/pertanyaan/<int:pk>/", views.question_toggle, name="question_toggle"),
    path("kelola/unit/<int:pk>/pengguna/", views.population_set, name="population_set"),
    path("kelola/unit/<int:pk>/kode/", views.token_batch_create, name="token_batch_create"),
    path("kelola/kode/<int:pk>/", views.token_batch_pdf, name="token_batch_pdf"),
    path("kelola/unit/<int:pk>/qr.<str:fmt>", views.qr, name="qr"),
    path("kelola/unit/<int:pk>/poster/", views.poster, name="poster"),
    path("kelola/unit/<int:pk>/laporan/", views.report_pdf, name="report_pdf"),
    path("kelola/unit/<int:pk>/jawaban/", views.answers_xlsx, name="answers_xlsx"),
    path("kelola/masukan/", views.moderation, name="moderation"),
    path("kelola/masukan/<int:pk>/", views.input_moderate, name="input_moderate"),
]
