from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from asnportal.accounts.nav import nav_register

        nav_register(label=_("Training catalog"), url_name="training:catalog", roles={"staff"}, order=40)
        nav_register(label=_("My trainings & JP"), url_name="training:my", roles={"staff"}, order=41)
        nav_register(label=_("Manage training"), url_name="training:manage", roles={"hr"}, order=40)
        nav_register(label=_("Below 20 JP"), url_name="training:below_20", roles={"hr"}, order=41)
        nav_register(
            label=_("Verify a certificate"), url_name="training:verify_lookup", roles={"anonymous"}, order=90
        )
