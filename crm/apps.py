from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "crm"

    def ready(self) -> None:
        from crm import workqueue

        workqueue.register()  # the home page's panels

        from crm import price_sources

        # Order entry's price: a valid quotation first, then the last price quoted.
        price_sources.register()

        from crm.services.satisfaction import on_delivery_shipped
        from orders.signals import delivery_shipped

        # A delivery left: the customer gets a satisfaction survey.
        delivery_shipped.connect(on_delivery_shipped, dispatch_uid="crm-survey-after-delivery")
