"""The sheets and columns of the factory workbook (CONTRACT.md section 1), in one place: the
importer parses by it, the exporter writes by it, the template's README explains it."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TEXT, CODE, DECIMAL, INT, DATE, BOOL, CHOICE, PHONES = (
    "text",
    "code",
    "decimal",
    "int",
    "date",
    "bool",
    "choice",
    "phones",
)
ZERO = Decimal("0")
ONE = Decimal("1")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = TEXT
    required: bool = False
    default: object = None
    help: str | Promise = ""
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    minimum: Decimal | None = None  # inclusive
    positive: bool = False  # > 0
    maximum: Decimal | None = None  # inclusive
    below: Decimal | None = None  # exclusive upper bound
    item_column: str | None = None  # a quantity of the item named there: its decimals apply


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    help: str | Promise = ""

    @property
    def headers(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def code(name: str = "code", help: str | Promise = "", required: bool = True) -> Column:
    return Column(name, CODE, required=required, default=None, help=help, max_length=40)


def text(name: str, max_length: int, help: str | Promise = "", required: bool = False) -> Column:
    return Column(name, TEXT, required=required, default="", help=help, max_length=max_length)


def quantity(
    name: str,
    *,
    item: str | None = "item",
    required: bool = True,
    positive: bool = True,
    help: str | Promise = "",
) -> Column:
    return Column(
        name,
        DECIMAL,
        required=required,
        default=ZERO,
        help=help,
        minimum=ZERO,
        positive=positive,
        item_column=item,
    )


def money(name: str, required: bool = False, help: str | Promise = "", default=ZERO) -> Column:
    return Column(name, DECIMAL, required=required, default=default, help=help, minimum=ZERO)


def date(name: str, help: str | Promise = "") -> Column:
    return Column(name, DATE, required=True, help=help or _("YYYY-MM-DD or an Excel date"))


def line() -> Column:
    return Column("line", INT, default=1, minimum=ONE, help=_("line number, default 1"))


MAX_TERMS_DAYS = Decimal("3650")  # payment terms of at most ten years
LINE_STATUSES = ("open", "cancelled", "closed")
ITEM_KINDS = ("raw", "semi", "finished")

WAREHOUSES = Sheet(
    "Warehouses",
    (code(help=_("warehouse code; MAIN always exists")), text("name", 200)),
    key=("code",),
    help=_("Warehouses named in the Stock sheet."),
)
WORK_CENTERS = Sheet(
    "WorkCenters",
    (
        code(help=_("machine code")),
        text("name", 200),
        Column(
            "hours_per_day",
            DECIMAL,
            default=Decimal("8"),
            positive=True,
            minimum=ZERO,
            maximum=Decimal("24"),
            help=_("hours per working day, default 8"),
        ),
        Column(
            "days_per_week",
            INT,
            default=6,
            minimum=ONE,
            maximum=Decimal("7"),
            help=_("working days per week, default 6"),
        ),
    ),
    key=("code",),
    help=_("Machines (机台) and their capacity."),
)
PROCESSES = Sheet(
    "Processes",
    (
        code(help=_("process code")),
        text("name", 200),
        Column(
            "defect_rate",
            DECIMAL,
            default=ZERO,
            minimum=ZERO,
            below=ONE,
            help=_("fraction 0 <= r < 1 (0.02 = 2%), default 0"),
        ),
        code("work_center", help=_("machine code (WorkCenters sheet)"), required=False),
    ),
    key=("code",),
    help=_("Production steps (工序) and the defect-control table (不良控制比例)."),
)
ITEMS = Sheet(
    "Items",
    (
        code(help=_("item code")),
        text("name", 200, required=True),
        Column("kind", CHOICE, required=True, choices=ITEM_KINDS, help=_("raw, semi or finished")),
        Column("uom", TEXT, default="pcs", max_length=20, help=_("unit, default pcs")),
        Column(
            "decimals",
            INT,
            default=0,
            minimum=ZERO,
            maximum=Decimal("6"),
            help=_("decimal places of the unit, 0 to 6 (0 for pieces, 3 for kg), default 0"),
        ),
        money("standard_cost"),
        money("list_price"),
        Column("lead_time_days", INT, default=0, minimum=ZERO, help=_("days, default 0")),
        quantity("safety_stock", item="code", required=False, positive=False),
        quantity("min_order_qty", item="code", required=False, positive=False),
        quantity(
            "order_multiple",
            item="code",
            required=False,
            positive=False,
            help=_("default 0 = none"),
        ),
    ),
    key=("code",),
    help=_("Raw materials, semi-finished and finished products."),
)
BOM = Sheet(
    "BOM",
    (
        code("parent", help=_("item code of the parent")),
        code("component", help=_("item code of the component")),
        Column(
            "quantity",
            DECIMAL,
            required=True,
            minimum=ZERO,
            positive=True,
            help=_("quantity of the component per 1 parent"),
        ),
        code(
            "process",
            required=False,
            help=_("process where the component is consumed; blank = no allowance"),
        ),
    ),
    key=("parent", "component"),
    help=_("Bills of materials: one row per parent and component."),
)
ROUTING = Sheet(
    "Routing",
    (
        code("item"),
        Column("seq", INT, required=True, minimum=ONE, help=_("step number")),
        code("process"),
        code("work_center"),
        money("minutes_per_unit"),
        money("setup_minutes"),
    ),
    key=("item", "seq"),
    help=_("The steps that make an item, on which machine."),
)
CUSTOMERS = Sheet(
    "Customers",
    (
        code(help=_("customer code")),
        text("name", 200, required=True),
        Column("phone", PHONES, default=(), help=_("several numbers separated by ;")),
        text("industry", 100),
        text("region", 100),
        Column("salesperson", CODE, max_length=150, help=_("username of the salesperson")),
        Column("key_account", BOOL, default=False, help=_("yes or no, default no")),
        money("credit_limit", help=_("credit limit incl. VAT; default 0 = no limit")),
        Column(
            "payment_terms_days",
            INT,
            default=30,
            minimum=ZERO,
            maximum=MAX_TERMS_DAYS,
            help=_("days from the invoice date to its due date, default 30"),
        ),
    ),
    key=("code",),
    help=_("Customers; phone numbers without a contact person are replaced by the listed ones."),
)
SUPPLIERS = Sheet(
    "Suppliers",
    (code(help=_("supplier code")), text("name", 200), text("phone", 100)),
    key=("code",),
)
STOCK = Sheet(
    "Stock",
    (
        code("item"),
        Column("warehouse", CODE, default="MAIN", max_length=40, help=_("default MAIN")),
        quantity("quantity", positive=False, help=_("counted usable quantity")),
        money("unit_cost", default=None, help=_("blank keeps the current cost")),
    ),
    key=("item", "warehouse"),
    help=_(
        "A stock count: the usable stock becomes the quantity; the ledger records the difference."
    ),
)
SALES_ORDERS = Sheet(
    "SalesOrders",
    (
        code("order_no"),
        line(),
        code("customer"),
        date("order_date"),
        date("due_date"),
        code("item"),
        quantity("quantity"),
        money("unit_price", required=True),
        Column(
            "status",
            CHOICE,
            default="open",
            choices=LINE_STATUSES,
            help=_("open, cancelled or closed; default open"),
        ),
    ),
    key=("order_no", "line"),
    help=_("Customer orders, one row per order line; order header columns repeat on every line."),
)
SHIPMENTS = Sheet(
    "Shipments",
    (
        code("order_no"),
        line(),
        date("ship_date"),
        quantity("quantity", item=None),
        money("unit_cost", default=None, help=_("default: the item's standard cost")),
    ),
    key=("order_no", "line", "ship_date"),
    help=_("What was shipped: one row per order line and ship date."),
)
PURCHASE_ORDERS = Sheet(
    "PurchaseOrders",
    (
        code("po_no"),
        line(),
        code("supplier"),
        code("item"),
        quantity("quantity"),
        date("due_date"),
        quantity("received_quantity", required=False, positive=False, help=_("default 0")),
        money("unit_price"),
    ),
    key=("po_no", "line"),
    help=_("Purchase orders, one row per line."),
)
WORK_ORDERS = Sheet(
    "WorkOrders",
    (
        code("wo_no"),
        code("item"),
        quantity("quantity"),
        date("due_date"),
        quantity("completed_quantity", required=False, positive=False, help=_("default 0")),
        code("order_no", required=False, help=_("the customer order it serves (optional)")),
    ),
    key=("wo_no",),
    help=_("Work orders on the shop floor."),
)

OPEN_INVOICES = Sheet(
    "OpenInvoices",
    (
        Column("invoice_no", CODE, required=True, max_length=40, help=_("invoice number")),
        code("customer", help=_("customer code")),
        date("invoice_date"),
        Column(
            "due_date",
            DATE,
            help=_("default: the invoice date + the customer's payment_terms_days"),
        ),
        Column(
            "amount",
            DECIMAL,
            required=True,
            minimum=ZERO,
            positive=True,
            help=_("the invoice's gross amount, tax included, more than 0"),
        ),
        money("paid", help=_("already received, 0 to the amount; default 0")),
    ),
    key=("invoice_no",),
    help=_(
        "Opening receivables (期初应收): invoices billed before the move, still open. "
        "Re-importing an invoice updates it while nothing else was allocated to it."
    ),
)

# Import and export order: every sheet after the sheets it refers to.
SHEETS: tuple[Sheet, ...] = (
    WAREHOUSES,
    WORK_CENTERS,
    PROCESSES,
    ITEMS,
    BOM,
    ROUTING,
    CUSTOMERS,
    SUPPLIERS,
    STOCK,
    SALES_ORDERS,
    SHIPMENTS,
    PURCHASE_ORDERS,
    WORK_ORDERS,
    OPEN_INVOICES,
)
SHEETS_BY_NAME = {s.name: s for s in SHEETS}
README = "README"
