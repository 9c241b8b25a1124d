from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "asnportal.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from asnportal.accounts.nav import home_register, nav_register

        home_register(role="hr", url_name="org:directory")
        nav_register(label=_("Employees"), url_name="org:directory", roles={"hr"}, order=20)
        nav_register(label=_("Import employees"), url_name="org:import_list", roles={"hr"}, order=21)
