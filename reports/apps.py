from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    label = "reports"
    verbose_name = _("Evaluation reports")

    def ready(self) -> None:
        from asnportal.accounts.nav import home_register, nav_register

        home_register(role="head", url_name="reports:dashboard")
        nav_register(label=_("Dashboard"), url_name="reports:dashboard", roles={"head", "hr"}, order=90)
