from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("saya/", views.my_profile, name="my_profile"),
    path("akun/", views.account, name="account"),
    path("akun/2fa/pasang/", views.otp_setup, name="otp_setup"),
    path("akun/2fa/verifikasi/", views.otp_verify, name="otp_verify"),
]
