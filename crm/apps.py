from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "crm"

    def ready(self) -> None:
        from crm import workqueue

        workqueue.register()  # the home page's panels

        from crm import price_sources

        # Order entry's price: a valid quotation first, then the last price quoted.
        price_sources.register()
