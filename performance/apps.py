from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = _("Performance")

    def ready(self) -> None:
        from asnportal.accounts.nav import home_register, nav_register
        from asnportal.regulations.models import RuleKind
        from asnportal.regulations.registry import preview_register

        from . import selectors

        preview_register(RuleKind.WORK_RATING, selectors.rule_preview_work_rating)
        preview_register(RuleKind.CURVE, selectors.rule_preview_curve)

        home_register(role="staff", url_name="performance:home", weight=1)
        home_register(role="supervisor", url_name="performance:review_queue", weight=1)
        nav_register(label=_("Daily log"), url_name="performance:home", roles={"staff"}, order=30)
        nav_register(label=_("My SKP"), url_name="performance:plan", roles={"staff"}, order=31)
        nav_register(label=_("My appraisals"), url_name="performance:appraisals", roles={"staff"}, order=32)
        nav_register(
            label=_("Review logs"), url_name="performance:review_queue", roles={"supervisor"}, order=33
        )
        nav_register(label=_("My team"), url_name="performance:team", roles={"supervisor"}, order=34)
        nav_register(label=_("Appraisal periods"), url_name="performance:periods", roles={"hr"}, order=40)
        nav_register(
            label=_("Rating distribution"), url_name="performance:distribution", roles={"hr"}, order=41
        )
        nav_register(label=_("Awards"), url_name="performance:recognition", roles={"hr"}, order=42)
        nav_register(label=_("Talent map"), url_name="performance:talent", roles={"hr"}, order=43)
