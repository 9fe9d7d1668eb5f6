"""The order's material status (covered / partly / short), stored on SalesOrder so the order
list shows it without recomputing, and the rows of CONTRACT.md section 3b behind it.

One order's answer depends on every open line due before it (the line due first takes
first), so the whole factory is computed at once by orders.availability.store. Slips,
receipts, shipments and order changes ask for a refresh after they commit; readers refresh
first when the inputs changed (see orders.availability.store.ensure_fresh)."""

from collections.abc import Iterable

from orders.availability.store import refresh_material_availability, request_refresh


def refresh_material_status(*, order_ids: Iterable[int] = (), related: bool = True) -> None:
    """After a change to these orders (or their stock): refresh once the caller commits."""
    request_refresh()


def refresh_orders_using_items(*, item_ids: Iterable[int] = ()) -> int:
    """Refresh now (a goods receipt, a stock count ...): returns how many lines were
    computed."""
    return refresh_material_availability().lines


def refresh_open_orders_material_status() -> int:
    """Every draft and open order (nightly, or after a bulk import): lines computed."""
    return refresh_material_availability().lines


def refresh_after_stock_received(sender, *, item_ids: Iterable[int] = (), **kwargs) -> None:
    """Receiver of materials.signals.stock_received (connected in OrdersConfig.ready)."""
    request_refresh()
