"""The order's material status (covered / partly / short), shown to sales follow-up as soon
as it changes. Called after every slip, receipt and order change."""

from collections.abc import Iterable


def refresh_material_status(*, order_ids: Iterable[int]) -> None:
    """Recompute and store SalesOrder.material_status for these orders.

    Placeholder until the availability selector lands: leaves the status as it is.
    """
    return None
