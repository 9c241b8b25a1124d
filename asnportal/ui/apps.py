from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "asnportal.ui"
    label = "ui"
    verbose_name = "UI"
