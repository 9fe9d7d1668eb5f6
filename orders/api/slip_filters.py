"""Query-string filters of the slip and shipment lists. Codes and numbers filter exactly."""

import django_filters as filters

from orders.models import MaterialSlip, Shipment, SlipKind


class SlipFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=SlipKind.choices)
    order_no = filters.CharFilter(field_name="order__order_no", help_text="Exact order number.")
    work_order = filters.CharFilter(
        field_name="work_order__wo_no", help_text="Exact work order number."
    )
    warehouse = filters.CharFilter(field_name="warehouse__code", help_text="Warehouse code.")
    created_from = filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", help_text="Issued on or after."
    )
    created_to = filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", help_text="Issued on or before."
    )

    class Meta:
        model = MaterialSlip
        fields = ["kind", "order_no", "work_order", "warehouse", "created_from", "created_to"]


class ShipmentFilter(filters.FilterSet):
    order_no = filters.CharFilter(
        field_name="order_line__order__order_no", help_text="Exact order number."
    )
    customer = filters.CharFilter(
        field_name="order_line__order__customer__code", help_text="Customer code."
    )
    item = filters.CharFilter(field_name="order_line__item__code", help_text="Item code.")
    delivery_no = filters.CharFilter(help_text="Delivery (出货单) number.")
    warehouse = filters.CharFilter(field_name="warehouse__code", help_text="Warehouse code.")
    ship_date_from = filters.DateFilter(field_name="ship_date", lookup_expr="gte")
    ship_date_to = filters.DateFilter(field_name="ship_date", lookup_expr="lte")

    class Meta:
        model = Shipment
        fields = [
            "order_no",
            "customer",
            "item",
            "delivery_no",
            "warehouse",
            "ship_date_from",
            "ship_date_to",
        ]
