from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "asnportal.reports"
    label = "reports"
    verbose_name = _("Evaluation reports")

    def ready(self) -> None:
        from asnportal.accounts.nav import home_register, nav_register

        home_register(role="head", url_name="reports:overview")
        nav_register(
            label=_("Regional overview"), url_name="reports:overview", roles={"head", "hr"}, order=90
        )
