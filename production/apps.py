from django.apps import AppConfig


class ProductionConfig(AppConfig):
    name = "production"

    def ready(self) -> None:
        from materials.signals import inspection_rejected
        from orders.signals import order_changed
        from production import workqueue
        from production.services.quality import ncr_from_rejection

        workqueue.register()  # the home page's panels

        order_changed.connect(mark_plans_of_changed_order, dispatch_uid="production-stale-plans")
        # Goods rejected on inspection get their nonconformance report.
        inspection_rejected.connect(ncr_from_rejection, dispatch_uid="production-ncr")


def mark_plans_of_changed_order(*, change, **kwargs) -> None:
    """An order change notice makes the plan lines of that order (or line) stale."""
    from production.services.plans import mark_plan_stale

    mark_plan_stale(
        order=change.order,
        order_line_id=change.order_line_id,
        reason=f"Order change {change.number}",
    )
