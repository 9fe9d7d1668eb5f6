"""Write customer orders with their shipments, purchase orders and work orders.

A line's shipped quantity is the sum of its shipments after the import, and an order's
status follows from its lines (`order_status`)."""

import datetime as dt
import hashlib
from decimal import Decimal

from materials.models import PurchaseOrder, PurchaseOrderLine
from orders.models import LineStatus, OrderStatus, SalesOrder, SalesOrderLine, Shipment
from orders.numbers import catch_up_order_numbers
from production.models import WorkOrder
from reports.workbook.check_orders import sheet_lines, sheet_orders, shipped_after_import
from reports.workbook.context import ImportContext, SheetCounts, values_in
from reports.workbook.upsert import upsert

LINE_COLUMNS = {  # SalesOrders column -> line attname
    "item": "item_id",
    "quantity": "quantity",
    "unit_price": "unit_price",
    "due_date": "due_date",
    "status": "status",
}


def write_orders(ctx: ImportContext) -> None:
    _write_sales_orders(ctx)
    _write_purchase_orders(ctx)
    _write_work_orders(ctx)


def order_status(lines: list[dict], current: str | None) -> str:
    """An order's status from its lines' status and shipped quantity."""
    if not lines:
        return current or OrderStatus.CONFIRMED
    statuses = {line["status"] for line in lines}
    if statuses == {LineStatus.CANCELLED}:
        return OrderStatus.CANCELLED
    if statuses <= {LineStatus.CLOSED, LineStatus.CANCELLED}:
        return OrderStatus.CLOSED
    open_lines = [line for line in lines if line["status"] == LineStatus.OPEN]
    if all(line["shipped_quantity"] >= line["quantity"] for line in open_lines):
        return OrderStatus.SHIPPED
    if any(
        line["shipped_quantity"] > 0 for line in lines if line["status"] != LineStatus.CANCELLED
    ):
        return OrderStatus.PARTLY_SHIPPED
    # An order awaiting credit approval keeps waiting for the manager (CONTRACT 8).
    if current in (OrderStatus.IN_PRODUCTION, OrderStatus.CREDIT_HOLD):
        return current
    return OrderStatus.CONFIRMED


def _write_sales_orders(ctx: ImportContext) -> None:
    line_rows, shipment_rows = ctx.rows("SalesOrders"), ctx.rows("Shipments")
    if not line_rows and not shipment_rows:
        return
    headers, by_key = sheet_orders(ctx), sheet_lines(ctx)
    items = ctx.id_map("item")
    shipments: dict[tuple[str, int], list] = {}
    for row in shipment_rows:
        shipments.setdefault((row.v["order_no"], row.v["line"]), []).append(row)
    touched = set(headers) | {key[0] for key in shipments}

    # Every line of every touched order as it will be after the import.
    final = {key: dict(line) for key, line in ctx.db_lines.items() if key[0] in touched}
    present = ctx.present("SalesOrders")
    for key, row in by_key.items():
        line = final.setdefault(key, {"status": LineStatus.OPEN})
        line.update(
            item_id=items[row.v["item"]],
            quantity=row.v["quantity"],
            unit_price=row.v["unit_price"],
            due_date=row.v["due_date"],
        )
        if "status" in present or "id" not in line:
            line["status"] = row.v["status"]
    for key, line in final.items():
        shipped = shipped_after_import(ctx, key, shipments.get(key, []))
        line["shipped_quantity"] = sum((q for _d, q in shipped), Decimal(0))

    order_ids = _write_order_headers(ctx, touched, headers, final)
    line_compare = [a for c, a in LINE_COLUMNS.items() if c in present] + ["shipped_quantity"]
    existing = {(line["order_id"], line["line"]): line for line in ctx.db_lines.values()}
    line_ids = {}
    for keys, counts in (
        ([k for k in final if k in by_key], ctx.counts.setdefault("SalesOrders", SheetCounts())),
        ([k for k in final if k not in by_key], SheetCounts()),
    ):
        records = [_line_record(order_ids[k[0]], k[1], final[k]) for k in keys]
        line_ids.update(
            upsert(
                ctx,
                model=SalesOrderLine,
                unique=("order", "line"),
                records=records,
                existing=existing,
                compare=line_compare,
                counts=counts,
            )
        )
    _write_shipments(ctx, shipments, order_ids, line_ids, final)


def _line_record(order_id: int, number: int, line: dict) -> dict:
    return {
        "order_id": order_id,
        "line": number,
        "item_id": line["item_id"],
        "quantity": line["quantity"],
        "unit_price": line["unit_price"],
        "due_date": line["due_date"],
        "status": line["status"],
        "shipped_quantity": line["shipped_quantity"],
    }


def _write_order_headers(ctx, touched: set[str], headers: dict, final: dict) -> dict[str, int]:
    customers = ctx.id_map("customer")
    lines_of: dict[str, list[dict]] = {}
    for key, line in final.items():
        lines_of.setdefault(key[0], []).append(line)
    records = []
    for number in sorted(touched):
        db, head = ctx.db_orders.get(number), headers.get(number)
        current = db["status"] if db else None
        records.append(
            {
                "order_no": number,
                "customer_id": customers[head.v["customer"]] if head else db["customer_id"],
                "order_date": head.v["order_date"] if head else db["order_date"],
                "status": order_status(lines_of.get(number, []), current),
            }
        )
    ids = upsert(
        ctx,
        model=SalesOrder,
        unique=("order_no",),
        records=records,
        existing={(no,): o for no, o in ctx.db_orders.items()},
        compare=["customer_id", "order_date", "status"],
        counts=SheetCounts(),
    )
    ctx.ids["order"] = {key[0]: pk for key, pk in ids.items()}
    # Imported orders keep the factory's numbers; the next order entered continues after
    # the highest of them in the SO-YYYY-NNNNNN format (orders.numbers).
    catch_up_order_numbers(touched)
    return ctx.ids["order"]


def _write_shipments(ctx, shipments: dict, order_ids: dict, line_ids: dict, final: dict) -> None:
    if not shipments:
        return
    code_of = {pk: code for code, pk in ctx.id_map("item").items()}
    existing, records, new = {}, [], []
    for key, rows in shipments.items():
        line_id = line_ids[(order_ids[key[0]], key[1])]
        db_line = ctx.db_lines.get(key)
        on_file = (
            {s["ship_date"]: s for s in ctx.db_shipments.get(db_line["id"], ())} if db_line else {}
        )
        cost = ctx.item_value(code_of[final[key]["item_id"]], "standard_cost") or Decimal(0)
        for row in rows:
            record = {
                "order_line_id": line_id,
                "ship_date": row.v["ship_date"],
                "quantity": row.v["quantity"],
                "unit_cost": cost if row.v["unit_cost"] is None else row.v["unit_cost"],
            }
            old = on_file.get(row.v["ship_date"])
            if old is not None:
                record["number"] = old["number"]
                existing[(old["number"],)] = old
            else:
                new.append((record, _shipment_number(key, row.v["ship_date"])))
            records.append(record)
    for record, number in _unique_numbers(new):
        record["number"] = number
    compare = ["order_line_id", "ship_date", "quantity"]
    if "unit_cost" in ctx.present("Shipments"):
        compare.append("unit_cost")
    upsert(
        ctx,
        model=Shipment,
        unique=("number",),
        records=records,
        existing=existing,
        compare=compare,
        counts=ctx.counts.setdefault("Shipments", SheetCounts()),
    )


def _shipment_number(key: tuple[str, int], ship_date: dt.date) -> str:
    number = f"SH-{key[0]}-{key[1]}-{ship_date:%Y%m%d}"
    if len(number) > 36:  # room for a "-2" suffix within 40 characters
        digest = hashlib.sha1(key[0].encode()).hexdigest()[:10]
        number = f"SH-{digest}-{key[1]}-{ship_date:%Y%m%d}"
    return number


def _unique_numbers(new: list[tuple[dict, str]]) -> list[tuple[dict, str]]:
    """The wanted numbers, with a suffix where another shipment already has the number."""
    wanted = [number for _record, number in new]
    taken = {
        r["number"] for r in values_in(Shipment.objects.order_by(), "number", wanted, "number")
    }
    result, used = [], set()
    for record, number in new:
        candidate, n = number, 1
        while candidate in taken or candidate in used:
            n += 1
            candidate = f"{number}-{n}"
        used.add(candidate)
        result.append((record, candidate))
    return result


def _write_purchase_orders(ctx: ImportContext) -> None:
    rows = ctx.rows("PurchaseOrders")
    if not rows:
        return
    suppliers, items = ctx.id_map("supplier"), ctx.id_map("item")
    first: dict[str, object] = {}
    for row in rows:
        first.setdefault(row.v["po_no"], row)
    headers = []
    for number, row in first.items():
        db = ctx.db_purchase_orders.get(number)
        headers.append(
            {
                "po_no": number,
                "supplier_id": suppliers[row.v["supplier"]],
                "order_date": db["order_date"] if db else ctx.today,
                "status": db["status"] if db else PurchaseOrder.Status.OPEN,
            }
        )
    po_ids = upsert(
        ctx,
        model=PurchaseOrder,
        unique=("po_no",),
        records=headers,
        existing={(no,): po for no, po in ctx.db_purchase_orders.items()},
        compare=["supplier_id"],
        counts=SheetCounts(),
    )
    records = [
        {
            "purchase_order_id": po_ids[(r.v["po_no"],)],
            "line": r.v["line"],
            "item_id": items[r.v["item"]],
            "quantity": r.v["quantity"],
            "due_date": r.v["due_date"],
            "received_quantity": r.v["received_quantity"],
            "unit_price": r.v["unit_price"],
        }
        for r in rows
    ]
    present = ctx.present("PurchaseOrders")
    compare = ["item_id", "quantity", "due_date"] + [
        c for c in ("received_quantity", "unit_price") if c in present
    ]
    upsert(
        ctx,
        model=PurchaseOrderLine,
        unique=("purchase_order", "line"),
        records=records,
        existing=ctx.db_po_lines,
        compare=compare,
        counts=ctx.counts.setdefault("PurchaseOrders", SheetCounts()),
    )


def work_order_status(quantity: Decimal, completed: Decimal, current: str | None) -> str:
    if current == WorkOrder.Status.CANCELLED:
        return current
    if completed >= quantity:
        return WorkOrder.Status.COMPLETED
    if current in (None, WorkOrder.Status.COMPLETED):
        return WorkOrder.Status.RELEASED
    return current


def _write_work_orders(ctx: ImportContext) -> None:
    rows = ctx.rows("WorkOrders")
    if not rows:
        return
    items = ctx.id_map("item")
    orders = {**{no: o["id"] for no, o in ctx.db_orders.items()}, **ctx.ids.get("order", {})}
    present = ctx.present("WorkOrders")
    records = []
    for row in rows:
        db = ctx.db_work_orders.get(row.v["wo_no"])
        completed = row.v["completed_quantity"]
        if "completed_quantity" not in present and db:
            completed = db["completed_quantity"]
        records.append(
            {
                "wo_no": row.v["wo_no"],
                "item_id": items[row.v["item"]],
                "quantity": row.v["quantity"],
                "due_date": row.v["due_date"],
                "completed_quantity": completed,
                "sales_order_id": orders[row.v["order_no"]] if row.v["order_no"] else None,
                "status": work_order_status(
                    row.v["quantity"], completed, db["status"] if db else None
                ),
            }
        )
    compare = ["item_id", "quantity", "due_date", "completed_quantity", "status"]
    if "order_no" in present:
        compare.append("sales_order_id")
    upsert(
        ctx,
        model=WorkOrder,
        unique=("wo_no",),
        records=records,
        existing={(no,): wo for no, wo in ctx.db_work_orders.items()},
        compare=compare,
        counts=ctx.counts.setdefault("WorkOrders", SheetCounts()),
    )
