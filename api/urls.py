from django.urls import path

from . import views
from .v1 import api as api_v1

app_name = "api"

urlpatterns = [
    path("token/", views.tokens, name="tokens"),
    path("token/<int:pk>/cabut/", views.token_revoke, name="token_revoke"),
    path("v1/", api_v1.urls),
]
