from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    """Needs analysis (ABK), formation proposals and position structuring (DESIGN.md §2)."""

    name = "workforce"
    verbose_name = _("Workforce planning")

    def ready(self) -> None:
        from .nav import register

        register()
