"""A synthetic factory workbook of any size, with codes under a prefix, for the import
benchmark (`python manage.py bench import`)."""

import datetime as dt
import random
from decimal import Decimal

from openpyxl import Workbook

from erp import spreadsheet
from reports.workbook import spec


def sample_sheets(
    *,
    lines: int,
    items: int = 1000,
    customers: int = 500,
    prefix: str = "B",
    today: dt.date,
    seed: int = 7,
) -> dict[str, list[dict]]:
    rng = random.Random(seed)
    raw_count = max(1, items // 2)
    raw = [f"{prefix}-RM{i:05d}" for i in range(raw_count)]
    finished = [f"{prefix}-FG{i:05d}" for i in range(max(1, items - raw_count))]
    sheets: dict[str, list[dict]] = {
        "WorkCenters": [{"code": f"{prefix}-WC1", "name": "Line 1"}],
        "Processes": [
            {"code": f"{prefix}-P1", "defect_rate": Decimal("0.02"), "work_center": f"{prefix}-WC1"}
        ],
        "Suppliers": [{"code": f"{prefix}-S1", "name": "Supplier"}],
    }
    sheets["Items"] = [
        {
            "code": c,
            "name": f"Raw {c}",
            "kind": "raw",
            "uom": "kg",
            "decimals": 3,
            "standard_cost": Decimal(rng.randint(100, 900)) / 100,
        }
        for c in raw
    ] + [
        {
            "code": c,
            "name": f"Product {c}",
            "kind": "finished",
            "standard_cost": Decimal("50"),
            "list_price": Decimal("80"),
        }
        for c in finished
    ]
    sheets["BOM"] = [
        {
            "parent": f,
            "component": c,
            "quantity": Decimal(rng.randint(1, 4000)) / 1000,
            "process": f"{prefix}-P1",
        }
        for f in finished
        for c in rng.sample(raw, k=min(3, len(raw)))
    ]
    sheets["Customers"] = [
        {
            "code": f"{prefix}-C{i:04d}",
            "name": f"Customer {i}",
            "phone": f"138{i:08d}",
            "key_account": "yes" if i % 10 == 0 else "no",
        }
        for i in range(customers)
    ]
    sheets["Stock"] = [
        {"item": c, "quantity": Decimal(rng.randint(0, 900000)) / 1000, "unit_cost": Decimal("3")}
        for c in raw
    ]
    orders, shipments = [], []
    made, n = 0, 0
    while made < lines:
        n += 1
        order_no = f"{prefix}-SO{n:07d}"
        customer = f"{prefix}-C{rng.randrange(customers):04d}"
        ordered = today - dt.timedelta(days=rng.randint(0, 400))
        for line in range(1, min(rng.randint(1, 4), lines - made) + 1):
            quantity = Decimal(rng.choice([10, 20, 50, 100]))
            orders.append(
                {
                    "order_no": order_no,
                    "line": line,
                    "customer": customer,
                    "order_date": ordered,
                    "due_date": ordered + dt.timedelta(days=rng.randint(7, 60)),
                    "item": rng.choice(finished),
                    "quantity": quantity,
                    "unit_price": Decimal(rng.randint(5000, 9000)) / 100,
                    "status": "closed" if ordered < today - dt.timedelta(days=90) else "open",
                }
            )
            if ordered < today - dt.timedelta(days=30):
                shipments.append(
                    {
                        "order_no": order_no,
                        "line": line,
                        "ship_date": ordered + dt.timedelta(days=20),
                        "quantity": quantity,
                        "unit_cost": Decimal("48.5"),
                    }
                )
            made += 1
    sheets["SalesOrders"] = orders
    sheets["Shipments"] = shipments
    return sheets


def write_sheets(sheets: dict[str, list[dict]], path) -> None:
    """Write {sheet: rows} as an xlsx file with the workbook's headers."""
    book = Workbook(write_only=True)
    for sheet in spec.SHEETS:
        if sheet.name not in sheets:
            continue
        ws = book.create_sheet(sheet.name)
        ws.append(sheet.headers)
        for row in sheets[sheet.name]:
            ws.append(spreadsheet.row(row.get(h) for h in sheet.headers))
    book.save(path)
