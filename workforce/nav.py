"""Menu entries of workforce planning, registered from OrgConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from asnportal.accounts.nav import nav_register


def register() -> None:
    nav_register(label=_("Workforce planning"), url_name="planning:index", roles={"hr", "head"}, order=25)
    nav_register(label=_("Organisation chart"), url_name="planning:chart", roles={"hr", "head"}, order=26)
