from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "recruitment"
    verbose_name = _("Recruitment")

    def ready(self) -> None:
        from asnportal.accounts.nav import home_register, nav_register
        from asnportal.regulations.models import RuleKind
        from asnportal.regulations.registry import preview_register

        from .selectors.rule_preview import rule_preview_skb, rule_preview_skd

        preview_register(RuleKind.SKD, rule_preview_skd)
        preview_register(RuleKind.SKB_RUBRIC, rule_preview_skb)

        home_register(role="observer", url_name="recruitment:observer_home", weight=1)
        home_register(role="panel", url_name="recruitment:panel_queue", weight=1)
        home_register(role="applicant", url_name="recruitment:applicant_dashboard", weight=1)
        # Public pages: in the menu of visitors, applicants and observers; staff menus keep to their
        # own work (the public pages stay one click away on the welcome page and in the footer).
        everyone = {"anonymous", "applicant", "observer"}
        nav_register(
            label=_("Open selections"), url_name="recruitment:public_selections", roles=everyone, order=20
        )
        nav_register(
            label=_("Ledger verification"), url_name="recruitment:ledger_verify", roles=everyone, order=29
        )
        nav_register(label=_("Recruitment"), url_name="recruitment:hr_selections", roles={"hr"}, order=21)
        nav_register(
            label=_("My observations"), url_name="recruitment:observer_home", roles={"observer"}, order=22
        )
        nav_register(label=_("Scoring queue"), url_name="recruitment:panel_queue", roles={"panel"}, order=23)
        nav_register(
            label=_("My applications"),
            url_name="recruitment:applicant_dashboard",
            roles={"applicant"},
            order=24,
        )
