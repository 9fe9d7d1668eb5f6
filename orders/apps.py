from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"

    def ready(self) -> None:
        from materials.signals import stock_received
        from orders.services.material_status import refresh_after_stock_received

        # Stock came in (a goods receipt): orders using the items may be covered now.
        stock_received.connect(refresh_after_stock_received, dispatch_uid="orders-material-status")
