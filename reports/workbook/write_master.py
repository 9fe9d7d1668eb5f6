"""Write the master-data sheets, each after the sheets it refers to, a few statements each."""

from django.utils import timezone

from customers.models import CustomerPhone, phone_digits
from materials.models import BomLine, DefectRateChange, Location, LocationKind, Process, Routing
from materials.signals import defect_rate_changed
from reports.workbook.context import MASTERS, ImportContext, SheetCounts, chunks
from reports.workbook.stock_counts import write_stock
from reports.workbook.upsert import BATCH_SIZE, upsert

# sheet column -> (model attname, kind whose code it names, or None for a plain value)
CODE_SHEETS = {
    "warehouse": {"name": ("name", None)},
    "work_center": {
        "name": ("name", None),
        "hours_per_day": ("hours_per_day", None),
        "days_per_week": ("days_per_week", None),
    },
    "process": {
        "name": ("name", None),
        "defect_rate": ("defect_rate", None),
        "work_center": ("work_center_id", "work_center"),
    },
    "item": {
        name: (name, None)
        for name in (
            "name",
            "kind",
            "uom",
            "decimals",
            "standard_cost",
            "list_price",
            "lead_time_days",
            "safety_stock",
            "min_order_qty",
            "order_multiple",
        )
    },
    "customer": {
        "name": ("name", None),
        "industry": ("industry", None),
        "region": ("region", None),
        "salesperson": ("salesperson_id", "user"),
        "key_account": ("key_account", None),
        "credit_limit": ("credit_limit", None),
        "payment_terms_days": ("payment_terms_days", None),
    },
    "supplier": {"name": ("name", None), "phone": ("phone", None)},
}


def write_master(ctx: ImportContext) -> None:
    _write_codes(ctx, "warehouse")
    _ensure_locations(ctx)
    _write_codes(ctx, "work_center")
    rates_before = dict(Process.objects.values_list("code", "defect_rate"))
    _write_codes(ctx, "process")
    _record_rate_changes(ctx, rates_before)
    _write_codes(ctx, "item")
    _write_bom(ctx)
    _write_routing(ctx)
    _write_customers(ctx)
    _write_codes(ctx, "supplier")
    write_stock(ctx)


def _record_rate_changes(ctx: ImportContext, before: dict) -> None:
    """A re-import that changes a defect rate is kept in the table's history like a change
    quality makes on the page (reason: the import), and open order lines keep their rates."""
    codes = {row.v["code"] for row in ctx.rows("Processes")} & set(before)
    now = timezone.now()
    changes = [
        DefectRateChange(
            process=process,
            old_rate=before[process.code],
            new_rate=process.defect_rate,
            reason="Workbook import",
            changed_at=now,
            changed_by=ctx.user,
        )
        for process in Process.objects.filter(code__in=codes)
        if process.defect_rate != before[process.code]
    ]
    for change in DefectRateChange.objects.bulk_create(changes):
        defect_rate_changed.send(sender=DefectRateChange, change=change)


def _counts(ctx: ImportContext, sheet: str) -> SheetCounts:
    return ctx.counts.setdefault(sheet, SheetCounts())


def _value(ctx: ImportContext, row, column: str, ref: str | None):
    value = row.v[column]
    if ref is None or value is None:
        return value
    return ctx.id_map(ref)[value]


def _write_codes(ctx: ImportContext, kind: str, force: frozenset = frozenset()) -> None:
    model, sheet, _fields = MASTERS[kind]
    rows = ctx.rows(sheet)
    if not rows:
        return
    columns = CODE_SHEETS[kind]
    present = ctx.present(sheet)
    records = []
    for row in rows:
        record = {"code": row.v["code"]}
        for column, (attname, ref) in columns.items():
            record[attname] = _value(ctx, row, column, ref)
        records.append(record)
    ids = upsert(
        ctx,
        model=model,
        unique=("code",),
        records=records,
        existing={(code,): r for code, r in ctx.db(kind).items()},
        compare=[att for column, (att, _ref) in columns.items() if column in present],
        counts=_counts(ctx, sheet),
        force=force,
    )
    ctx.ids[kind] = {**ctx.db_ids(kind), **{key[0]: pk for key, pk in ids.items()}}


def _ensure_locations(ctx: ImportContext) -> None:
    """Every warehouse has a usable and a quarantine location."""
    if not ctx.rows("Warehouses"):
        return
    ids = {ctx.id_map("warehouse")[r.v["code"]] for r in ctx.rows("Warehouses")}
    Location.objects.bulk_create(
        [Location(warehouse_id=w, kind=k) for w in sorted(ids) for k in LocationKind.values],
        ignore_conflicts=True,
    )


def _write_bom(ctx: ImportContext) -> None:
    rows = ctx.rows("BOM")
    if not rows:
        return
    items, processes = ctx.id_map("item"), ctx.id_map("process")
    records = [
        {
            "parent_id": items[r.v["parent"]],
            "component_id": items[r.v["component"]],
            "quantity": r.v["quantity"],
            "process_id": processes[r.v["process"]] if r.v["process"] else None,
        }
        for r in rows
    ]
    compare = ["quantity"] + (["process_id"] if "process" in ctx.present("BOM") else [])
    upsert(
        ctx,
        model=BomLine,
        unique=("parent", "component"),
        records=records,
        existing=ctx.db_bom,
        compare=compare,
        counts=_counts(ctx, "BOM"),
    )


def _write_routing(ctx: ImportContext) -> None:
    rows = ctx.rows("Routing")
    if not rows:
        return
    items, processes, machines = (
        ctx.id_map("item"),
        ctx.id_map("process"),
        ctx.id_map("work_center"),
    )
    records = [
        {
            "item_id": items[r.v["item"]],
            "seq": r.v["seq"],
            "process_id": processes[r.v["process"]],
            "work_center_id": machines[r.v["work_center"]],
            "minutes_per_unit": r.v["minutes_per_unit"],
            "setup_minutes": r.v["setup_minutes"],
        }
        for r in rows
    ]
    present = ctx.present("Routing")
    compare = ["process_id", "work_center_id"] + [
        c for c in ("minutes_per_unit", "setup_minutes") if c in present
    ]
    upsert(
        ctx,
        model=Routing,
        unique=("item", "seq"),
        records=records,
        existing=ctx.db_routing,
        compare=compare,
        counts=_counts(ctx, "Routing"),
    )


def _write_customers(ctx: ImportContext) -> None:
    """Customers, then their phone numbers: the numbers without a contact person are replaced
    by the listed ones, in the listed order (numbers of contacts are left alone)."""
    rows = ctx.rows("Customers")
    if not rows:
        return
    if "phone" not in ctx.present("Customers"):
        _write_codes(ctx, "customer")
        return
    existing = ctx.db("customer")
    old_phones = ctx.db_phones(r["id"] for r in existing.values())
    changed = {
        (r.v["code"],)
        for r in rows
        if r.v["code"] in existing
        and old_phones.get(existing[r.v["code"]]["id"], ()) != tuple(r.v["phone"])
    }
    _write_codes(ctx, "customer", force=frozenset(changed))
    ids = ctx.id_map("customer")
    replace = [r for r in rows if r.v["code"] not in existing or (r.v["code"],) in changed]
    stale = [ids[r.v["code"]] for r in replace if r.v["code"] in existing]
    for part in chunks(stale):
        CustomerPhone.objects.filter(customer_id__in=part, contact__isnull=True).delete()
    phones = [
        CustomerPhone(
            customer_id=ids[r.v["code"]],
            number=number,
            digits=phone_digits(number),
            position=position,
            created_at=ctx.now,
            created_by_id=ctx.user_id,
            updated_at=ctx.now,
            updated_by_id=ctx.user_id,
        )
        for r in replace
        for position, number in enumerate(r.v["phone"])
    ]
    CustomerPhone.objects.bulk_create(phones, batch_size=BATCH_SIZE)
