from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Public feedback")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from asnportal.accounts.nav import nav_register
        from asnportal.regulations.models import RuleKind, RuleVersion
        from asnportal.regulations.registry import preview_register

        from . import selectors

        preview_register(RuleKind.IKM_CATEGORIES, selectors.rule_preview_ikm_categories)
        post_save.connect(selectors.ikm_rules_changed, sender=RuleVersion, dispatch_uid="feedback-ikm-rules")

        nav_register(label=_("Service surveys"), url_name="feedback:manage", roles={"hr"}, order=60)
        nav_register(label=_("Citizen input"), url_name="feedback:moderation", roles={"hr"}, order=61)
        nav_register(
            label=_("Public service satisfaction (IKM)"),
            url_name="feedback:public_index",
            roles={"anonymous"},
            order=60,
        )
