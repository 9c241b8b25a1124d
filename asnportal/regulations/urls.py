from django.urls import path

from . import views

app_name = "regulations"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:kind>/usul/", views.propose, name="propose"),
]
