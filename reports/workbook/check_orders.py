"""Checks of the order sheets: codes that must exist, consistent order headers, dates,
shipments within the line's quantity (with the shipments already in the database)."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.workbook import cells
from reports.workbook.context import ImportContext
from reports.workbook.reader import Row

UNKNOWN_ORDER = gettext_lazy("Unknown customer order '%(order)s': add it to the SalesOrders sheet.")


def check_orders(ctx: ImportContext) -> None:
    _check_sales_orders(ctx)
    _check_shipments(ctx)
    _check_purchase_orders(ctx)
    _check_work_orders(ctx)


def sheet_orders(ctx: ImportContext) -> dict[str, Row]:
    """order_no -> the first SalesOrders row of the order (its header)."""
    first: dict[str, Row] = {}
    for row in ctx.rows("SalesOrders"):
        if row.v.get("order_no") is not None:
            first.setdefault(row.v["order_no"], row)
    return first


def sheet_lines(ctx: ImportContext) -> dict[tuple[str, int], Row]:
    return {
        (r.v["order_no"], r.v["line"]): r
        for r in ctx.rows("SalesOrders")
        if r.v.get("order_no") is not None and r.v.get("line") is not None
    }


def _same_header(ctx, sheet: str, row: Row, first: Row, key: str, columns: tuple[str, ...]):
    for column in columns:
        mine, theirs = row.v.get(column), first.v.get(column)
        if mine is None or theirs is None or mine == theirs:
            continue
        ctx.error(
            sheet,
            row,
            column,
            _(
                "%(key)s %(number)s has %(column)s %(value)s on row %(row)d; every line of it "
                "must have the same %(column)s."
            )
            % {
                "key": key,
                "number": row.v[key],
                "column": column,
                "value": cells.to_text(theirs),
                "row": first.n,
            },
        )


def _check_sales_orders(ctx: ImportContext) -> None:
    headers = sheet_orders(ctx)
    for row in ctx.rows("SalesOrders"):
        v = row.v
        ctx.check_ref("SalesOrders", row, "customer", "customer")
        if ctx.check_ref("SalesOrders", row, "item", "item"):
            ctx.check_item_quantity("SalesOrders", row, "quantity", v["item"])
        if v.get("order_date") and v.get("due_date") and v["due_date"] < v["order_date"]:
            ctx.error(
                "SalesOrders",
                row,
                "due_date",
                _("The due date %(due)s is before the order date %(ordered)s.")
                % {"due": v["due_date"].isoformat(), "ordered": v["order_date"].isoformat()},
            )
        first = headers.get(v.get("order_no"))
        if first is not None and first is not row:
            _same_header(ctx, "SalesOrders", row, first, "order_no", ("customer", "order_date"))


def _check_shipments(ctx: ImportContext) -> None:
    rows = ctx.rows("Shipments")
    if not rows:
        lines = sheet_lines(ctx)
        if lines:
            _check_shipped_within_quantity(ctx, lines, {})
        return
    orders = sheet_orders(ctx)
    lines = sheet_lines(ctx)
    code_of = {r["id"]: c for c, r in ctx.db("item").items()}
    by_line: dict[tuple[str, int], list[Row]] = {}
    for row in rows:
        number, line_no, ship_date = (
            row.v.get("order_no"),
            row.v.get("line"),
            row.v.get("ship_date"),
        )
        if number is None or line_no is None or "duplicate" in row.bad:
            continue
        if number not in orders and number not in ctx.db_orders:
            ctx.error("Shipments", row, "order_no", UNKNOWN_ORDER % {"order": number})
            continue
        key = (number, line_no)
        db_line = ctx.db_lines.get(key)
        if key not in lines and db_line is None:
            ctx.error(
                "Shipments",
                row,
                "line",
                _("Order %(order)s has no line %(line)d.") % {"order": number, "line": line_no},
            )
            continue
        item = lines[key].v.get("item") if key in lines else code_of.get(db_line["item_id"])
        ctx.check_item_quantity("Shipments", row, "quantity", item)
        if db_line is not None and ship_date is not None:
            same_day = [
                s for s in ctx.db_shipments.get(db_line["id"], ()) if s["ship_date"] == ship_date
            ]
            if len(same_day) > 1:
                ctx.error(
                    "Shipments",
                    row,
                    "ship_date",
                    _(
                        "Order %(order)s line %(line)d has %(count)d shipments on %(date)s in "
                        "the system; the workbook holds one shipment per line and date."
                    )
                    % {
                        "order": number,
                        "line": line_no,
                        "count": len(same_day),
                        "date": ship_date.isoformat(),
                    },
                )
        by_line.setdefault(key, []).append(row)
    _check_shipped_within_quantity(ctx, lines, by_line)


def shipped_after_import(
    ctx: ImportContext, key: tuple[str, int], rows: list[Row]
) -> list[tuple[object, Decimal]]:
    """(ship date, quantity) of every shipment of the line once the import is written."""
    dates = {r.v.get("ship_date") for r in rows}
    result = [(r.v.get("ship_date"), r.v.get("quantity") or Decimal(0)) for r in rows]
    db_line = ctx.db_lines.get(key)
    if db_line is not None:
        for s in ctx.db_shipments.get(db_line["id"], ()):
            if s["ship_date"] not in dates:
                result.append((s["ship_date"], s["quantity"]))
    return result


def _check_shipped_within_quantity(ctx, lines: dict, by_line: dict) -> None:
    for key in set(lines) | set(by_line):
        line_row = lines.get(key)
        if line_row is not None and {"quantity", "duplicate"} & line_row.bad:
            continue  # already wrong: no second error about the same number
        quantity = line_row.v.get("quantity") if line_row is not None else None
        if quantity is None and key in ctx.db_lines:
            quantity = ctx.db_lines[key]["quantity"]
        if quantity is None:
            continue
        shipments = by_line.get(key, [])
        total = sum((q for _d, q in shipped_after_import(ctx, key, shipments)), Decimal(0))
        if total <= quantity:
            continue
        if shipments:
            row = shipments[-1]
            this = row.v.get("quantity") or Decimal(0)
            ctx.error(
                "Shipments",
                row,
                "quantity",
                _(
                    "A shipment of %(this)s is more than the open quantity %(open)s of order "
                    "%(order)s line %(line)d (quantity %(quantity)s, shipped on other dates "
                    "%(other)s)."
                )
                % {
                    "this": cells.plain(this),
                    "open": cells.plain(max(quantity - (total - this), Decimal(0))),
                    "order": key[0],
                    "line": key[1],
                    "quantity": cells.plain(quantity),
                    "other": cells.plain(total - this),
                },
            )
        else:
            ctx.error(
                "SalesOrders",
                line_row,
                "quantity",
                _("The quantity %(quantity)s is less than the %(shipped)s already shipped.")
                % {"quantity": cells.plain(quantity), "shipped": cells.plain(total)},
            )


def _check_purchase_orders(ctx: ImportContext) -> None:
    first: dict[str, Row] = {}
    for row in ctx.rows("PurchaseOrders"):
        v = row.v
        ctx.check_ref("PurchaseOrders", row, "supplier", "supplier")
        if ctx.check_ref("PurchaseOrders", row, "item", "item"):
            ctx.check_item_quantity("PurchaseOrders", row, "quantity", v["item"])
            ctx.check_item_quantity("PurchaseOrders", row, "received_quantity", v["item"])
        _not_more_than(ctx, "PurchaseOrders", row, "received_quantity", _("Received"))
        if v.get("po_no") is not None:
            header = first.setdefault(v["po_no"], row)
            if header is not row:
                _same_header(ctx, "PurchaseOrders", row, header, "po_no", ("supplier",))


def _check_work_orders(ctx: ImportContext) -> None:
    orders = sheet_orders(ctx)
    for row in ctx.rows("WorkOrders"):
        v = row.v
        if ctx.check_ref("WorkOrders", row, "item", "item"):
            ctx.check_item_quantity("WorkOrders", row, "quantity", v["item"])
            ctx.check_item_quantity("WorkOrders", row, "completed_quantity", v["item"])
        _not_more_than(ctx, "WorkOrders", row, "completed_quantity", _("Completed"))
        number = v.get("order_no")
        if number and number not in orders and number not in ctx.db_orders:
            ctx.error("WorkOrders", row, "order_no", UNKNOWN_ORDER % {"order": number})


def _not_more_than(ctx, sheet: str, row: Row, column: str, label: str) -> None:
    done, quantity = row.v.get(column), row.v.get("quantity")
    if done is not None and quantity is not None and done > quantity:
        ctx.error(
            sheet,
            row,
            column,
            _("%(label)s %(done)s is more than the quantity %(quantity)s.")
            % {"label": label, "done": cells.plain(done), "quantity": cells.plain(quantity)},
        )
