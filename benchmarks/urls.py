from django.urls import path

from . import views

app_name = "benchmarks"

# The floors the benchmark divides every page by (mounted only when the app is installed).
urlpatterns = [
    path("satu-query/", views.floor_one_query, name="one_query"),
    path("simpan/", views.floor_insert, name="insert"),
]
