from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegulationsConfig(AppConfig):
    name = "asnportal.regulations"
    label = "regulations"
    verbose_name = _("Rules and regulations")

    def ready(self) -> None:
        from asnportal.accounts.nav import nav_register

        nav_register(label=_("Rules"), url_name="regulations:index", roles={"hr"}, order=90)
