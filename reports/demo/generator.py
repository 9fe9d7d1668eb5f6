"""A believable small metal-parts factory, as the sheets of the factory workbook.

The same generator sizes the factory for benchmarks (`--scale mid|large`). Everything is
seeded, so a scale and a date always give the same factory.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from orders.numbers import format_order_no
from reports.demo.receivables import opening_invoices, set_credit_terms


@dataclass(frozen=True)
class Scale:
    finished: int
    semi: int
    raw: int
    levels: int  # semi-finished tiers between finished goods and raw material
    components: tuple[int, int]  # components per BOM, min and max
    customers: int
    history_orders: int  # closed orders over the last two years
    open_lines: int
    po_lines: int
    work_orders: int
    suppliers: int


SCALES = {
    "small": Scale(60, 90, 150, 3, (2, 4), 50, 900, 120, 60, 25, 12),
    "mid": Scale(4000, 8000, 8000, 5, (3, 6), 2000, 2000, 50_000, 5000, 500, 200),
    "large": Scale(20_000, 40_000, 40_000, 5, (3, 6), 5000, 5000, 250_000, 20_000, 2000, 500),
}

PROCESSES = [
    # code, name, defect rate, machine
    ("CUT", "Cutting 下料", "0.02", "LASER-1"),
    ("BEND", "Bending 折弯", "0.01", "PRESS-1"),
    ("WELD", "Welding 焊接", "0.03", "WELD-1"),
    ("MILL", "Pipe mill 轧管", "0.025", "MILL-1"),
    ("PAINT", "Painting 喷涂", "0.015", "PAINT-1"),
    ("ASSY", "Assembly 装配", "0.005", "ASSY-1"),
    ("PACK", "Packing 包装", "0", "ASSY-1"),
]
WORK_CENTERS = [
    ("LASER-1", "Laser cutter 激光切割机", "16", 6),
    ("PRESS-1", "Press brake 折弯机 #1", "8", 6),
    ("PRESS-2", "Press brake 折弯机 #2", "8", 5),
    ("WELD-1", "Welding cell 焊接工位", "16", 6),
    ("MILL-1", "Pipe mill 轧管机 (bottleneck)", "22", 6),
    ("PAINT-1", "Paint line 喷涂线", "8", 6),
    ("ASSY-1", "Assembly line 装配线", "8", 6),
]
RAW_KINDS = [
    # name, uom, decimals, cost range
    ("Steel coil Q235", "kg", 3, (4, 7)),
    ("Steel strip", "kg", 3, (5, 8)),
    ("Stainless sheet 304", "kg", 3, (14, 22)),
    ("Powder paint", "kg", 3, (25, 40)),
    ("Hex bolt M8", "pcs", 0, (0.1, 0.4)),
    ("Nut M8", "pcs", 0, (0.03, 0.1)),
    ("Rubber gasket", "pcs", 0, (0.2, 0.8)),
    ("Carton box", "pcs", 0, (1, 3)),
    ("Welding wire", "kg", 3, (9, 14)),
    ("Copper tube", "m", 2, (18, 30)),
]
FINISHED_KINDS = [
    "Welded pipe",
    "Bracket assembly",
    "Cable tray",
    "Rack frame",
    "Valve body",
    "Guard rail",
]
SEMI_KINDS = [
    "Cut blank",
    "Bent part",
    "Welded frame",
    "Painted frame",
    "Pipe section",
    "Sub-assembly",
]
REGIONS = ["华东 East", "华南 South", "华北 North", "西南 Southwest", "Export"]
INDUSTRIES = ["Construction", "Automotive", "Energy", "Furniture", "Machinery", "Shipbuilding"]
CITIES = ["Shanghai", "Suzhou", "Ningbo", "Foshan", "Tianjin", "Chengdu", "Wuxi", "Dongguan"]
SALES_USERS = ["sales"]


def _money(rng: random.Random, low: float, high: float) -> Decimal:
    cents = rng.randint(int(low * 100), int(high * 100))
    return Decimal(cents) / 100


def _qty(rng: random.Random, low: int, high: int, decimals: int) -> Decimal:
    value = Decimal(rng.randint(low, high))
    if decimals:
        value += Decimal(rng.randint(0, 10**decimals - 1)).scaleb(-decimals)
    return value


def build_demo_workbook(
    *, scale: str = "small", today: dt.date, seed: int = 2026
) -> dict[str, pd.DataFrame]:
    """The demo factory as {sheet: DataFrame} with the workbook's own column names."""
    size = SCALES[scale]
    rng = random.Random(seed)
    sheets: dict[str, list[dict]] = {}

    sheets["WorkCenters"] = [
        {"code": c, "name": n, "hours_per_day": Decimal(h), "days_per_week": d}
        for c, n, h, d in WORK_CENTERS
    ]
    sheets["Processes"] = [
        {"code": c, "name": n, "defect_rate": Decimal(r), "work_center": wc}
        for c, n, r, wc in PROCESSES
    ]
    sheets["Suppliers"] = [
        {
            "code": f"S{i:04d}",
            "name": f"{rng.choice(CITIES)} Metals Supplier {i}",
            "phone": f"0{rng.randint(20, 29)}-{rng.randint(5000000, 8999999)}",
        }
        for i in range(1, size.suppliers + 1)
    ]

    items, raw, semi_tiers, finished = [], [], [], []
    for i in range(1, size.raw + 1):
        name, uom, decimals, (lo, hi) = RAW_KINDS[i % len(RAW_KINDS)]
        cost = _money(rng, lo, hi)
        code = f"RM-{i:05d}"
        raw.append(code)
        items.append(
            {
                "code": code,
                "name": f"{name} #{i}",
                "kind": "raw",
                "uom": uom,
                "decimals": decimals,
                "standard_cost": cost,
                "list_price": Decimal(0),
                "lead_time_days": rng.choice([3, 5, 7, 10, 14]),
                "safety_stock": Decimal(rng.choice([0, 0, 50, 100]))
                if uom != "pcs"
                else Decimal(rng.choice([0, 200, 500])),
                "min_order_qty": Decimal(rng.choice([0, 100, 500])) if uom == "kg" else Decimal(0),
                "order_multiple": Decimal(rng.choice([0, 0, 10, 25])),
            }
        )
    per_tier = max(1, size.semi // size.levels)
    n = 0
    for _tier in range(size.levels):
        codes = []
        for _ in range(per_tier):
            n += 1
            code = f"SF-{n:05d}"
            codes.append(code)
            items.append(
                {
                    "code": code,
                    "name": f"{SEMI_KINDS[n % len(SEMI_KINDS)]} #{n}",
                    "kind": "semi",
                    "uom": "pcs",
                    "decimals": 0,
                    "standard_cost": _money(rng, 8, 60),
                    "list_price": Decimal(0),
                    "lead_time_days": rng.choice([1, 2, 3]),
                    "safety_stock": Decimal(0),
                    "min_order_qty": Decimal(0),
                    "order_multiple": Decimal(0),
                }
            )
        semi_tiers.append(codes)
    for i in range(1, size.finished + 1):
        code = f"FG-{i:05d}"
        finished.append(code)
        cost = _money(rng, 40, 400)
        items.append(
            {
                "code": code,
                "name": f"{FINISHED_KINDS[i % len(FINISHED_KINDS)]} {rng.choice(['A', 'B', 'C', 'S'])}{i}",
                "kind": "finished",
                "uom": "pcs",
                "decimals": 0,
                "standard_cost": cost,
                "list_price": (
                    cost * Decimal(rng.choice(["1.15", "1.25", "1.35", "1.6"]))
                ).quantize(Decimal("0.01")),
                "lead_time_days": rng.choice([2, 3, 5]),
                "safety_stock": Decimal(rng.choice([0, 0, 10, 20])),
                "min_order_qty": Decimal(0),
                "order_multiple": Decimal(0),
            }
        )
    sheets["Items"] = items
    decimals_of = {it["code"]: it["decimals"] for it in items}

    # BOM: finished <- tier 0 semis (+ raw); tier k <- tier k+1 semis (+ raw); last tier <- raw.
    bom = []
    process_codes = [p[0] for p in PROCESSES]

    def add_components(parent: str, pool_semi: list[str] | None, max_semis: int) -> None:
        # A product is a few sub-assemblies, each made of parts and raw material: at most
        # `max_semis` sub-assemblies per parent keeps a product's tree to tens of items, as
        # in a real factory (drawing a sub-assembly for every component made trees of
        # thousands of items at the mid scale).
        count = rng.randint(*size.components)
        chosen: set[str] = set()
        semis = 0
        for k in range(count):
            if pool_semi and semis < max_semis and (k == 0 or rng.random() < 0.4):
                semis += 1
                comp = rng.choice(pool_semi)
            else:
                comp = rng.choice(raw)
            if comp in chosen:
                continue
            chosen.add(comp)
            dec = decimals_of[comp]
            qty = _qty(rng, 1, 2, 0) if dec == 0 else Decimal(rng.randint(50, 1500)).scaleb(-3)
            bom.append(
                {
                    "parent": parent,
                    "component": comp,
                    "quantity": qty,
                    "process": rng.choice(process_codes) if rng.random() < 0.85 else None,
                }
            )

    for code in finished:
        add_components(code, semi_tiers[0] if semi_tiers else None, 3)
    for tier, codes in enumerate(semi_tiers):
        below = semi_tiers[tier + 1] if tier + 1 < len(semi_tiers) else None
        for code in codes:
            add_components(code, below, 1)
    sheets["BOM"] = bom

    wc_of = {p[0]: p[3] for p in PROCESSES}
    routing = []
    for code in finished + [c for tier in semi_tiers for c in tier]:
        steps = rng.sample(process_codes, k=rng.randint(1, 3))
        for seq, proc in enumerate(steps, start=1):
            routing.append(
                {
                    "item": code,
                    "seq": seq * 10,
                    "process": proc,
                    "work_center": wc_of[proc],
                    "minutes_per_unit": Decimal(rng.randint(5, 120)) / 10,
                    "setup_minutes": Decimal(rng.choice([0, 15, 30, 60])),
                }
            )
    sheets["Routing"] = routing

    customers = []
    for i in range(1, size.customers + 1):
        phones = [f"+86 13{rng.randint(0, 9)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"]
        if rng.random() < 0.4:
            phones.append(f"0{rng.randint(20, 29)}-{rng.randint(5000000, 8999999)}")
        customers.append(
            {
                "code": f"C{i:04d}",
                "name": f"{rng.choice(CITIES)} {rng.choice(INDUSTRIES)} Co. {i}",
                "phone": ";".join(phones),
                "industry": rng.choice(INDUSTRIES),
                "region": rng.choice(REGIONS),
                "salesperson": rng.choice(SALES_USERS),
                "key_account": "yes" if i % 10 == 1 else "no",
            }
        )
    sheets["Customers"] = customers
    customer_codes = [c["code"] for c in customers]
    # A few customers buy most: a believable Pareto.
    weights = [1.0 / (k + 1) ** 0.8 for k in range(len(customer_codes))]
    price_of = {it["code"]: it["list_price"] for it in items if it["kind"] == "finished"}
    cost_of = {it["code"]: it["standard_cost"] for it in items}

    orders, shipments = [], []
    start = today - dt.timedelta(days=730)
    order_no = 0

    def new_order(order_date: dt.date, lines: int, due_from: int, due_to: int, kind: str) -> None:
        nonlocal order_no
        order_no += 1
        no = format_order_no(order_date.year, order_no)  # the format of orders entered later
        customer = rng.choices(customer_codes, weights=weights)[0]
        for line in range(1, lines + 1):
            item = rng.choice(finished)
            qty = Decimal(rng.choice([5, 10, 20, 50, 100]))
            price = (
                price_of[item] * Decimal(rng.choice(["0.9", "0.95", "1", "1", "1.05"]))
            ).quantize(Decimal("0.01"))
            due = order_date + dt.timedelta(days=rng.randint(due_from, due_to))
            status = "open"
            if kind == "history":
                status = "cancelled" if rng.random() < 0.03 else "closed"
            orders.append(
                {
                    "order_no": no,
                    "line": line,
                    "customer": customer,
                    "order_date": order_date,
                    "due_date": due,
                    "item": item,
                    "quantity": qty,
                    "unit_price": price,
                    "status": status,
                }
            )
            cost = cost_of[item] * Decimal(rng.choice(["0.9", "0.97", "1", "1.04", "1.12"]))
            cost = cost.quantize(Decimal("0.01"))
            if status == "closed":
                first = (qty * Decimal(rng.choice(["1", "1", "0.6"]))).quantize(Decimal(1))
                ship_date = min(
                    due + dt.timedelta(days=rng.randint(-5, 6)), today - dt.timedelta(days=1)
                )
                shipments.append(_shipment(no, line, ship_date, first, cost))
                if first < qty:
                    second = min(
                        ship_date + dt.timedelta(days=rng.randint(3, 10)),
                        today - dt.timedelta(days=1),
                    )
                    if second == ship_date:
                        shipments[-1]["quantity"] = qty
                    else:
                        shipments.append(_shipment(no, line, second, qty - first, cost))
            elif (
                kind == "open" and rng.random() < 0.15 and order_date < today - dt.timedelta(days=5)
            ):
                part = (qty * Decimal("0.4")).quantize(Decimal(1))
                shipments.append(
                    _shipment(no, line, today - dt.timedelta(days=rng.randint(1, 4)), part, cost)
                )

    history_days = (today - dt.timedelta(days=45) - start).days
    for k in range(size.history_orders):
        order_date = start + dt.timedelta(days=int(k * history_days / max(1, size.history_orders)))
        new_order(order_date, rng.choice([1, 1, 2, 3]), 14, 40, "history")
    lines_made = 0
    while lines_made < size.open_lines:
        lines = min(rng.choice([1, 2, 3, 4]), size.open_lines - lines_made)
        order_date = today - dt.timedelta(days=rng.randint(0, 20))
        new_order(order_date, lines, 7, 60, "open")
        lines_made += lines
    sheets["SalesOrders"] = orders
    sheets["Shipments"] = shipments
    # Receivables: own random streams, so the rest of the factory stays as it was.
    set_credit_terms(customers, orders, seed)
    opening = opening_invoices(orders, shipments, customers, today, seed)
    if opening:
        sheets["OpenInvoices"] = opening

    stock = []
    for it in items:
        if it["kind"] != "finished" or rng.random() < 0.3:
            dec = it["decimals"]
            high = {"raw": 40000, "semi": 6000, "finished": 150}[it["kind"]]
            if it["kind"] == "raw" and rng.random() < 0.08:
                high = 300  # running low: the material controller has something to buy
            qty = _qty(rng, high // 10, high, dec)
            if qty > 0:
                stock.append(
                    {
                        "item": it["code"],
                        "warehouse": "MAIN",
                        "quantity": qty,
                        "unit_cost": it["standard_cost"],
                    }
                )
    sheets["Stock"] = stock

    supplier_codes = [s["code"] for s in sheets["Suppliers"]]
    pos = []
    po_no = 0
    made = 0
    while made < size.po_lines:
        po_no += 1
        supplier = rng.choice(supplier_codes)
        for line in range(1, min(rng.choice([1, 2, 3]), size.po_lines - made) + 1):
            item = rng.choice(raw)
            dec = decimals_of[item]
            qty = _qty(rng, 100, 3000, 0)
            received = Decimal(0)
            if rng.random() < 0.2:
                received = (qty * Decimal("0.5")).quantize(Decimal(1).scaleb(-dec))
            pos.append(
                {
                    "po_no": f"PO{po_no:06d}",
                    "line": line,
                    "supplier": supplier,
                    "item": item,
                    "quantity": qty,
                    "due_date": today + dt.timedelta(days=rng.randint(-3, 21)),
                    "received_quantity": received,
                    "unit_price": cost_of[item],
                }
            )
            made += 1
    sheets["PurchaseOrders"] = pos

    open_orders = sorted({o["order_no"] for o in orders if o["status"] == "open"})
    wos = []
    for i in range(1, size.work_orders + 1):
        item = rng.choice(finished)
        qty = Decimal(rng.choice([20, 50, 100, 200]))
        wos.append(
            {
                "wo_no": f"WO{i:06d}",
                "item": item,
                "quantity": qty,
                "due_date": today + dt.timedelta(days=rng.randint(2, 30)),
                "completed_quantity": (
                    qty * Decimal(rng.choice(["0", "0", "0.25", "0.5"]))
                ).quantize(Decimal(1)),
                "order_no": rng.choice(open_orders) if open_orders and rng.random() < 0.7 else None,
            }
        )
    sheets["WorkOrders"] = wos
    return {name: pd.DataFrame(rows) for name, rows in sheets.items()}


def _shipment(order_no: str, line: int, ship_date: dt.date, qty: Decimal, cost: Decimal) -> dict:
    return {
        "order_no": order_no,
        "line": line,
        "ship_date": ship_date,
        "quantity": qty,
        "unit_cost": cost,
    }
