from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("saya/", views.my_profile, name="my_profile"),
    path("akun/", views.account, name="account"),
]
