from django.apps import AppConfig


class ErpConfig(AppConfig):
    name = "erp"
    verbose_name = "Factory ERP"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from erp import text
        from erp.roles import sync_roles_after_migrate

        # No control characters in text from any form or API field (erp/text.py).
        text.install()

        # After the last app migrates, when every permission exists.
        post_migrate.connect(sync_roles_after_migrate)
