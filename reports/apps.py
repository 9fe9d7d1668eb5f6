from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self) -> None:
        # Codes any layer's template shows by name: {{ code|label:"tier" }} (erp.labels).
        from erp.labels import register_labels
        from reports.models import Lifecycle, MarginGrade, Tier

        register_labels("tier", Tier.choices)
        register_labels("lifecycle", Lifecycle.choices)
        register_labels("grade", MarginGrade.choices)
