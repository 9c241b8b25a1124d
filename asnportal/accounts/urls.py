from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("saya/", views.my_profile, name="my_profile"),
    path("akun/", views.account, name="account"),
    path("akun/2fa/pasang/", views.otp_setup, name="otp_setup"),
    path("akun/2fa/verifikasi/", views.otp_verify, name="otp_verify"),
    path("akun/2fa/daftar/<str:token>/", views.otp_enroll, name="otp_enroll"),
    path("akun/2fa/kode-pemulihan/", views.recovery_codes, name="recovery_codes"),
    path("akun/2fa/perangkat/", views.device_list, name="device_list"),
    path("akun/2fa/perangkat/<int:user_id>/atur-ulang/", views.device_reset, name="device_reset"),
]
