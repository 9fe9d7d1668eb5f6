from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"

    def ready(self) -> None:
        from materials.signals import defect_rate_changed, stock_received
        from orders import workqueue
        from orders.services.defect_rates import keep_rates_of_open_lines
        from orders.services.material_status import refresh_after_stock_received

        workqueue.register()  # the home page's panels

        # Stock came in (a goods receipt): orders using the items may be covered now.
        stock_received.connect(refresh_after_stock_received, dispatch_uid="orders-material-status")
        # The defect-control table changed: open lines keep their pick limits.
        defect_rate_changed.connect(keep_rates_of_open_lines, dispatch_uid="orders-keep-rates")
