"""Work orders: what the shop floor makes, and for which customer order."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from erp.models import AuditedModel, QuantityField


class WorkOrder(AuditedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        RELEASED = "released", _("released")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    wo_no = models.CharField(_("work order no."), max_length=40, unique=True)
    item = models.ForeignKey(
        "materials.Item",
        verbose_name=_("item"),
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    quantity = QuantityField(_("quantity"))
    due_date = models.DateField(_("due date"))
    completed_quantity = QuantityField(_("completed"))
    sales_order = models.ForeignKey(
        "orders.SalesOrder",
        verbose_name=_("customer order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RELEASED)
    # Released from an MRP planned order: its id (no foreign key: a run's planned orders are
    # removed when newer runs succeed) and the order numbers it serves, as MRP pegged them.
    mrp_planned_order = models.BigIntegerField(
        _("MRP planned order"), null=True, blank=True, unique=True
    )
    pegging = models.JSONField(_("for orders"), default=list, blank=True)

    class Meta:
        ordering = ["due_date", "wo_no"]
        verbose_name = _("work order")
        constraints = [
            models.CheckConstraint(condition=~Q(wo_no=""), name="wo_no_not_blank"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="wo_quantity_positive"),
            models.CheckConstraint(
                condition=Q(completed_quantity__gte=0) & Q(completed_quantity__lte=F("quantity")),
                name="wo_completed_0_quantity",
            ),
        ]
        indexes = [models.Index(fields=["item", "due_date"])]

    def __str__(self) -> str:
        return self.wo_no

    @property
    def open_quantity(self) -> Decimal:
        return self.quantity - self.completed_quantity


class FinishedGoodsReceipt(AuditedModel):
    """成品入库: finished goods into the warehouse, against a work order or an order line."""

    number = models.CharField(_("receipt no."), max_length=40, unique=True)
    item = models.ForeignKey("materials.Item", on_delete=models.PROTECT, related_name="+")
    work_order = models.ForeignKey(
        WorkOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="receipts"
    )
    order_line = models.ForeignKey(
        "orders.SalesOrderLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="finished_receipts",
    )
    warehouse = models.ForeignKey("materials.Warehouse", on_delete=models.PROTECT, related_name="+")
    quantity = QuantityField(_("quantity"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("finished-goods receipt")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="fg_receipt_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(work_order__isnull=False) | Q(order_line__isnull=False),
                name="fg_receipt_has_a_source",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class FinishedGoodsReceiptReversal(AuditedModel):
    """Takes a finished-goods receipt back out (booked by mistake, or twice): a compensating
    ledger row; the receipt and its ledger row stay as they were. At most one per receipt."""

    number = models.CharField(_("reversal no."), max_length=40, unique=True)
    receipt = models.OneToOneField(
        FinishedGoodsReceipt,
        verbose_name=_("finished-goods receipt"),
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("finished-goods receipt reversal")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="fg_reversal_reason_given")
        ]

    def __str__(self) -> str:
        return self.number


class MrpRun(models.Model):
    """One MRP run: who or what started it, as of which date, how it ended. Pages and
    reports show the latest succeeded run until the next one succeeds."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    as_of = models.DateField(_("as of"))
    trigger = models.CharField(_("started by"), max_length=100)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    counts = models.JSONField(default=dict, blank=True)
    # Planned purchases per suggested supplier, counted while they were written: [[supplier
    # id or null, planned purchases, late ones], ...] (null: a run from before this was kept).
    shortfall_suppliers = models.JSONField(null=True, blank=True, default=None)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("MRP run")

    def __str__(self) -> str:
        return f"MRP {self.as_of} {self.status}"


class PlannedOrder(models.Model):
    """A planned order of an MRP run: buy (a shortfall) or make.

    Pegging is a graph: `direct_pegging` names the customer orders and work orders whose own
    demand it covers, `pegged_to` the planned orders (ids, same run) whose dependent demand
    it covers. production.mrp.selectors resolves it into every order served (`pegging`).
    Ids are given by the run (see production.mrp.services), in planning order.
    """

    class Kind(models.TextChoices):
        PURCHASE = "purchase", _("purchase")
        PRODUCTION = "production", _("production")

    # No database foreign-key checks: a run writes hundreds of thousands of rows whose run and
    # items it has just read, and the checks took longer than the rest of the write. Deletes
    # still cascade (Django does it). Three indexes: (run, kind, item) serves the lookups,
    # (run, release_date) the API's order and (run, supplier, late, release_date) of
    # purchases the shortfall page, a few suppliers at a time: a page in milliseconds instead
    # of sorting the whole run. Each index costs a run at factory scale about half a second.
    run = models.ForeignKey(
        MrpRun,
        on_delete=models.CASCADE,
        related_name="planned_orders",
        db_index=False,
        db_constraint=False,
    )
    item = models.ForeignKey(
        "materials.Item",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    quantity = QuantityField(_("quantity"))
    due_date = models.DateField(_("due date"))
    release_date = models.DateField(_("release date"))
    late = models.BooleanField(_("late"), default=False)
    direct_pegging = models.JSONField(_("for orders"), default=list, blank=True)
    pegged_to = models.JSONField(_("for planned orders"), default=list, blank=True)
    # Of `quantity`, what keeps the item's safety stock rather than serves an order.
    for_safety_stock = QuantityField(_("for safety stock"))
    # A purchase's suggested supplier when the run was made: the supplier of the item's most
    # recent purchase order line (blank: none yet).
    supplier = models.ForeignKey(
        "materials.Supplier",
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        ordering = ["run", "due_date", "item"]
        verbose_name = _("planned order")
        indexes = [
            models.Index(fields=["run", "kind", "item"], name="planned_run_kind_item"),
            models.Index(fields=["run", "release_date"], name="planned_run_release"),
            models.Index(
                fields=["run", "supplier", "-late", "release_date"],
                condition=Q(kind="purchase"),
                name="planned_run_supplier",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="planned_quantity_positive")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.item_id} {self.quantity} {self.due_date}"


# Capacity, the production plan, daily reports and contact slips ---------------------------


class Downtime(AuditedModel):
    """Planned downtime of a machine (maintenance, a holiday): from `start_date` to `end_date`
    (inclusive) the machine loses `hours_per_day` hours each day, or the whole day."""

    work_center = models.ForeignKey(
        "materials.WorkCenter",
        verbose_name=_("machine"),
        on_delete=models.CASCADE,
        related_name="downtimes",
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    hours_per_day = QuantityField(
        _("hours lost per day"), null=True, blank=True, default=None
    )  # blank: the whole day
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["work_center", "start_date"]
        verbose_name = _("planned downtime")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="downtime_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_day__isnull=True)
                | (Q(hours_per_day__gt=0) & Q(hours_per_day__lte=24)),
                name="downtime_hours_0_24",
            ),
        ]
        indexes = [models.Index(fields=["work_center", "end_date"])]

    def __str__(self) -> str:
        return f"{self.work_center_id} {self.start_date}..{self.end_date}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    SUPERSEDED = "superseded", _("superseded")
    CANCELLED = "cancelled", _("cancelled")


# A plan number has at most one revision being worked on and one in force.
PLAN_OPEN_STATES = (PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.REJECTED)


class ProductionPlan(AuditedModel):
    """生产计划表: a schedule of customer order lines on the machines for a period. Sales
    follow-up drafts and submits it, production approves or rejects it; changing an
    approved plan makes a new revision with the same number."""

    number = models.CharField(_("plan no."), max_length=40)
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous revision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_revisions",
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    note = models.TextField(_("note"), blank=True)
    # Set when an order change touches one of its lines; a new revision starts fresh.
    stale = models.BooleanField(_("re-plan needed"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reject_reason = models.TextField(_("reason for rejection"), blank=True)

    class Meta:
        ordering = ["-period_start", "-number", "-revision"]
        verbose_name = _("production plan")
        permissions = [("approve_productionplan", "Can approve or reject production plans")]
        constraints = [
            models.UniqueConstraint(fields=["number", "revision"], name="plan_number_revision"),
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(status="approved"),
                name="plan_one_revision_in_force",
            ),
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(status__in=["draft", "submitted", "rejected"]),
                name="plan_one_open_revision",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="plan_period_ordered"
            ),
            models.CheckConstraint(condition=Q(revision__gte=1), name="plan_revision_gte_1"),
        ]
        indexes = [models.Index(fields=["status", "period_start"])]

    def __str__(self) -> str:
        return f"{self.number} r{self.revision}"


class PlanLine(models.Model):
    """One routing step of one customer order line on one machine, from start to end date
    (day_minutes: the minutes it takes on each day). An order line that could not be
    scheduled has one line without machine and dates, and the reason."""

    plan = models.ForeignKey(ProductionPlan, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(
        "orders.SalesOrderLine",
        verbose_name=_("order line"),
        on_delete=models.PROTECT,
        related_name="plan_lines",
    )
    item = models.ForeignKey("materials.Item", on_delete=models.PROTECT, related_name="+")
    quantity = QuantityField(_("quantity"))
    seq = models.PositiveIntegerField(_("step"), null=True, blank=True)
    process = models.ForeignKey(
        "materials.Process", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    work_center = models.ForeignKey(
        "materials.WorkCenter",
        verbose_name=_("machine"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_lines",
    )
    minutes = QuantityField(_("minutes"))
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    day_minutes = models.JSONField(default=dict, blank=True)
    unscheduled_reason = models.CharField(_("not scheduled because"), max_length=300, blank=True)
    priority = models.PositiveIntegerField(_("priority"), default=0)
    # What the order line said when it was planned, to see what changed since.
    due_date = models.DateField(_("due date"))
    key_account = models.BooleanField(_("key customer"), default=False)
    planned_at = models.DateTimeField(_("planned at"), default=timezone.now)
    stale = models.BooleanField(_("re-plan needed"), default=False)
    stale_reason = models.CharField(max_length=300, blank=True)
    work_order = models.ForeignKey(
        WorkOrder, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_lines"
    )

    class Meta:
        ordering = ["plan", "priority", "order_line", "seq"]
        verbose_name = _("plan line")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="plan_line_quantity_positive"),
            models.CheckConstraint(condition=Q(minutes__gte=0), name="plan_line_minutes_gte_0"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="plan_line_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["work_center", "start_date"]),
            models.Index(fields=["order_line"]),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.order_line_id}/{self.seq}"

    @property
    def scheduled(self) -> bool:
        return self.start_date is not None

    @property
    def hours(self) -> Decimal:
        return (self.minutes / 60).quantize(Decimal("0.01"))


class DailyReport(AuditedModel):
    """生产日报表: one process on one machine for one order line (or one work order, e.g. a
    sub-assembly's) on one day: good and defective output, hours worked, who ran it."""

    date = models.DateField(_("date"))
    work_center = models.ForeignKey(
        "materials.WorkCenter",
        verbose_name=_("machine"),
        on_delete=models.PROTECT,
        related_name="daily_reports",
    )
    process = models.ForeignKey(
        "materials.Process",
        verbose_name=_("process"),
        on_delete=models.PROTECT,
        related_name="daily_reports",
    )
    order_line = models.ForeignKey(
        "orders.SalesOrderLine",
        verbose_name=_("order line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="daily_reports",
    )
    work_order = models.ForeignKey(
        WorkOrder,
        verbose_name=_("work order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="daily_reports",
    )
    good_quantity = QuantityField(_("good"))
    defect_quantity = QuantityField(_("defective"))  # the sum of the defects by reason
    hours = QuantityField(_("hours worked"))
    operator = models.CharField(_("operator"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-date", "work_center", "process", "order_line"]
        verbose_name = _("daily production report")
        constraints = [
            models.UniqueConstraint(
                fields=["date", "work_center", "process", "order_line"],
                name="daily_report_one_per_day_step",
            ),
            models.UniqueConstraint(
                fields=["date", "work_center", "process", "work_order"],
                condition=Q(order_line__isnull=True),
                name="daily_report_one_per_day_wo_step",
            ),
            models.CheckConstraint(
                condition=Q(order_line__isnull=False) | Q(work_order__isnull=False),
                name="daily_report_line_or_work_order",
            ),
            models.CheckConstraint(
                condition=Q(good_quantity__gte=0) & Q(defect_quantity__gte=0) & Q(hours__gte=0),
                name="daily_report_not_negative",
            ),
            models.CheckConstraint(condition=Q(hours__lte=24), name="daily_report_hours_le_24"),
        ]
        indexes = [
            models.Index(fields=["order_line", "process"]),
            models.Index(fields=["work_center", "date"]),
        ]

    def __str__(self) -> str:
        for_what = self.order_line_id or f"wo {self.work_order_id}"
        return f"{self.date} {self.work_center_id}/{self.process_id} {for_what}"


class DailyDefect(models.Model):
    """Defective output of a daily report line by reason (品管: the defect-control table)."""

    report = models.ForeignKey(DailyReport, on_delete=models.CASCADE, related_name="defects")
    reason = models.CharField(_("defect reason"), max_length=100)
    quantity = QuantityField(_("quantity"))

    class Meta:
        ordering = ["report", "reason"]
        constraints = [
            models.UniqueConstraint(fields=["report", "reason"], name="daily_defect_reason"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="daily_defect_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name="daily_defect_reason_given"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.quantity} {self.reason}"


class ContactSlip(AuditedModel):
    """联络单: production tells sales follow-up an order is behind; it ends in a decision:
    re-plan, outsource (外包) or accept the delay."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DECIDED = "decided", _("decided")

    class Decision(models.TextChoices):
        REPLAN = "replan", _("re-plan")
        OUTSOURCE = "outsource", _("outsource")
        ACCEPT_DELAY = "accept_delay", _("accept the delay")

    number = models.CharField(_("slip no."), max_length=40, unique=True)
    order = models.ForeignKey(
        "orders.SalesOrder",
        verbose_name=_("customer order"),
        on_delete=models.PROTECT,
        related_name="contact_slips",
    )
    order_line = models.ForeignKey(
        "orders.SalesOrderLine",
        verbose_name=_("order line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contact_slips",
    )
    reason = models.TextField(_("reason"))
    proposed_automatically = models.BooleanField(_("proposed by the system"), default=False)
    behind_quantity = QuantityField(_("behind plan by"), null=True, blank=True, default=None)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    decision = models.CharField(_("decision"), max_length=15, choices=Decision.choices, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # re-plan: the new plan revision
    plan = models.ForeignKey(
        ProductionPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # outsource: to whom, how many, by when; the purchase order tracks it to receipt
    supplier = models.ForeignKey(
        "materials.Supplier", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outsource_quantity = QuantityField(
        _("outsourced quantity"), null=True, blank=True, default=None
    )
    outsource_due_date = models.DateField(_("outsourced by"), null=True, blank=True)
    purchase_order = models.ForeignKey(
        "materials.PurchaseOrder", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # accept the delay: the new promised date, told to the customer by an order change notice
    new_promised_date = models.DateField(_("new promised date"), null=True, blank=True)
    customer_informed = models.BooleanField(_("customer informed"), default=False)
    order_change = models.ForeignKey(
        "orders.OrderChange", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("contact slip")
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="open") & Q(decision=""))
                | (Q(status="decided") & ~Q(decision="")),
                name="contact_slip_decided_has_decision",
            ),
            models.CheckConstraint(
                condition=Q(outsource_quantity__isnull=True) | Q(outsource_quantity__gt=0),
                name="contact_slip_outsource_positive",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.number


class Portfolio(AuditedModel):
    """The key-customer monthly portfolio: which order lines are made this month, built by
    the optimizer, adjusted by salespeople's requests, agreed along an approval route
    (production planner -> production head -> manager)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_APPROVAL = "in_approval", _("in approval")
        AGREED = "agreed", _("agreed")
        CANCELLED = "cancelled", _("cancelled")

    class Level(models.TextChoices):
        PLANNER = "planner", _("production planner")
        HEAD = "head", _("production head")
        MANAGER = "manager", _("manager")

    number = models.CharField(_("portfolio no."), max_length=40, unique=True)
    month = models.DateField(_("month"))  # its first day
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    level = models.CharField(_("waiting for"), max_length=10, choices=Level.choices, blank=True)
    level_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    # A step waiting too long adds the next approver up the route; the one who waits keeps
    # the right to decide (production.services.portfolio_route).
    escalated_to = models.CharField(
        _("also waiting for"), max_length=10, choices=Level.choices, blank=True
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    bottleneck = models.ForeignKey(
        "materials.WorkCenter",
        verbose_name=_("bottleneck machine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    solver = models.CharField(_("solved by"), max_length=40, blank=True)
    solve_seconds = models.DecimalField(max_digits=8, decimal_places=3, default=Decimal("0"))
    total_income = QuantityField(_("marginal income"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-month", "-number"]
        verbose_name = _("key-customer portfolio")
        permissions = [
            ("plan_portfolio", "Can approve portfolios as production planner"),
            ("head_portfolio", "Can approve portfolios as production head"),
            ("agree_portfolio", "Can agree portfolios as manager"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["month"],
                condition=Q(status__in=["draft", "in_approval", "agreed"]),
                name="portfolio_one_per_month",
            )
        ]

    def __str__(self) -> str:
        return self.number


class PortfolioLine(models.Model):
    """A candidate order line of a portfolio: its flags, and whether it is in."""

    class Request(models.TextChoices):
        NONE = "", _("none")
        INCLUDE = "include", _("include it")
        EXCLUDE = "exclude", _("leave it out")

    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(
        "orders.SalesOrderLine", on_delete=models.PROTECT, related_name="portfolio_lines"
    )
    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    key_account = models.BooleanField(_("key customer"), default=False)
    quantity = QuantityField(_("quantity"))
    due_date = models.DateField(_("due date"))
    marginal_income = QuantityField(_("marginal income"))
    bottleneck_hours = QuantityField(_("hours on the bottleneck"))
    income_per_hour = QuantityField(
        _("marginal income per bottleneck hour"), null=True, blank=True, default=None
    )
    load = models.JSONField(_("hours per machine"), default=dict, blank=True)
    included = models.BooleanField(_("in the portfolio"), default=False)
    reason = models.CharField(_("why not"), max_length=300, blank=True)
    request = models.CharField(
        _("salesperson asks"), max_length=10, choices=Request.choices, blank=True
    )
    request_note = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Left out because of another salesperson's request: decided along the approval route.
    conflict = models.BooleanField(_("conflict"), default=False)

    class Meta:
        ordering = ["portfolio", "-included", "-key_account", "due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["portfolio", "order_line"], name="portfolio_line_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.portfolio_id}: {self.order_line_id}"


class PortfolioStep(models.Model):
    """One step of a portfolio's approval route: approved, rejected or escalated."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        ESCALATED = "escalated", _("escalated: waited too long")

    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="steps")
    level = models.CharField(max_length=10, choices=Portfolio.Level.choices)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["portfolio", "at", "id"]

    def __str__(self) -> str:
        return f"{self.portfolio_id} {self.level} {self.decision}"


from production.models_adjust import (  # noqa: E402,F401  (registered with this app)
    PlanAdjustment,
    PortfolioCase,
    StaleDealDecision,
)
from production.models_quality import (  # noqa: E402,F401  (registered with this app)
    Disposition,
    InProcessCheck,
    NcrSource,
    NcrStatus,
    Nonconformance,
)
