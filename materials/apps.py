from django.apps import AppConfig


class MaterialsConfig(AppConfig):
    name = "materials"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from materials import workqueue

        post_migrate.connect(ensure_main_warehouse, sender=self)
        workqueue.register()  # the home page's panels


def ensure_main_warehouse(**kwargs) -> None:
    """MAIN (the workbook's default warehouse) always exists, also after a flush."""
    from materials.models import Warehouse
    from materials.services.stock import ensure_locations

    main, _created = Warehouse.objects.get_or_create(
        code="MAIN", defaults={"name": "Main warehouse"}
    )
    ensure_locations(warehouse=main)
