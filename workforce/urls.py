from django.urls import path

from . import views, views_structure

app_name = "planning"

urlpatterns = [
    path("", views.index, name="index"),
    path("pengaturan/", views.settings_page, name="settings"),
    path("pengaturan/usia-pensiun/", views.retirement_age, name="retirement_age"),
    path("abk/", views.workload, name="workload"),
    path("abk/<int:pk>/", views.workload_detail, name="workload_detail"),
    path("abk/<int:pk>/tugas/<int:task_pk>/hapus/", views.workload_task_delete, name="workload_task_delete"),
    path("rasio/", views.ratios, name="ratios"),
    path("rasio/angka/", views.figure_set, name="figure_set"),
    path("rasio/<int:pk>/hapus/", views.ratio_delete, name="ratio_delete"),
    path("kesenjangan/", views.gaps, name="gaps"),
    path("kesenjangan/xlsx/", views.gaps_xlsx, name="gaps_xlsx"),
    path("usulan/", views.proposals, name="proposals"),
    path("usulan/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("usulan/<int:pk>/baris/<int:row_pk>/hapus/", views.proposal_row_delete, name="proposal_row_delete"),
    # one POST URL a step (the paths the single action URL had)
    path("usulan/<int:pk>/submit/", views.proposal_submit, name="proposal_submit"),
    path("usulan/<int:pk>/approve/", views.proposal_approve, name="proposal_approve"),
    path("usulan/<int:pk>/return/", views.proposal_return, name="proposal_return"),
    path("struktur/", views_structure.chart, name="chart"),
    path("struktur/mutasi/", views_structure.reassign, name="reassign"),
    path("struktur/pindah-jabatan/", views_structure.position_move, name="position_move"),
    path("struktur/alih-jabatan/", views_structure.position_convert, name="position_convert"),
    path("struktur/gabung-unit/", views_structure.unit_merge, name="unit_merge"),
    path("struktur/pecah-unit/", views_structure.unit_split, name="unit_split"),
]
