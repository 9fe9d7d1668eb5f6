from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self) -> None:
        # The layers below read a customer's tier through customers.selectors (they may
        # not import reports): the profit ranking is its source.
        from customers.selectors import register_tier_source
        from reports.profit.tiers import current_tier

        register_tier_source(current_tier)
        # Codes any layer's template shows by name: {{ code|label:"tier" }} (erp.labels).
        from erp.labels import register_labels
        from reports.models import Lifecycle, MarginGrade, Tier

        register_labels("tier", Tier.choices)
        register_labels("lifecycle", Lifecycle.choices)
        register_labels("grade", MarginGrade.choices)
