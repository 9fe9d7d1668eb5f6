from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "crm"

    def ready(self) -> None:
        from crm import workqueue

        workqueue.register()  # the home page's panels
