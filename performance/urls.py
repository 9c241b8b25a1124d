from django.urls import path

from .views import hr, staff, supervisor

app_name = "performance"

urlpatterns = [
    # employee
    path("", staff.home, name="home"),
    path("log/", staff.log_list, name="log_list"),
    path("log/kirim/", staff.log_sync, name="log_sync"),
    path("log/<int:pk>/", staff.log_detail, name="log_detail"),
    path("log/<int:pk>/bukti/", staff.log_evidence, name="log_evidence"),
    path("skp/", staff.plan, name="plan"),
    path("skp/hasil/", staff.plan_result_add, name="plan_result_add"),
    path("skp/kpi/", staff.plan_kpi_add, name="plan_kpi_add"),
    path("skp/kpi/hapus/", staff.plan_kpi_remove, name="plan_kpi_remove"),
    path("skp/ajukan/", staff.plan_submit, name="plan_submit"),
    path("skp/ubah/", staff.plan_revise, name="plan_revise"),
    path("skp/pdf/", staff.plan_pdf, name="plan_pdf"),
    path("penilaian/", staff.appraisals, name="appraisals"),
    path("penilaian/<int:pk>/", staff.appraisal_detail, name="appraisal_detail"),
    path("penilaian/<int:pk>/pdf/", staff.appraisal_pdf, name="appraisal_pdf"),
    # supervisor
    path("tinjau/", supervisor.review_queue, name="review_queue"),
    path("tim/", supervisor.team, name="team"),
    path("tim/xlsx/", supervisor.team_xlsx, name="team_xlsx"),
    path("tim/skp/<int:pk>/", supervisor.plan_review, name="plan_review"),
    path("tim/<int:employee_pk>/nilai/<int:period_pk>/", supervisor.appraise, name="appraise"),
    # HR
    path("periode/", hr.periods, name="periods"),
    path("periode/<int:pk>/tutup/", hr.period_close, name="period_close"),
    path("periode/<int:pk>/xlsx/", hr.unit_xlsx, name="unit_xlsx"),
    path("distribusi/", hr.distribution, name="distribution"),
    path("penghargaan/", hr.recognition, name="recognition"),
    path("talenta/", hr.talent, name="talent"),
    path("talenta/suksesi/", hr.succession, name="succession"),
]
