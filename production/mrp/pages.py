"""Reads of the MRP pages and of `GET /api/v1/mrp/planned-orders/` at factory size: a run of
the mid demo factory holds 730,000 planned orders (390,000 purchases, 340,000 productions).

- A list is paged in two steps (`TwoStep`): the database sorts the ids alone with their sort
  keys and returns one page of them, then the page's rows are read with everything shown.
  Sorting 400,000 narrow rows is several times faster than sorting them together with every
  column of the planned order, its item and its supplier.
- Counting: a run recorded how many planned orders of each kind it wrote (`MrpRun.counts`);
  an unfiltered list takes that number instead of counting the rows again.
"""

from collections.abc import Callable, Mapping

from django.db.models import F, Q, QuerySet

from materials.models import PurchaseOrder, PurchaseOrderLine
from production.models import MrpRun, PlannedOrder
from production.mrp import selectors

API_FILTERS = ("kind", "item", "late", "supplier", "search")
# What the API's `late` filter (a NullBooleanSelect) reads as yes or no; else it filters nothing.
BIG_GROUP = 2_000  # a supplier's planned purchases read in a query of their own from this many
LATE_VALUES = {"true": True, "True": True, "2": True, "false": False, "False": False, "3": False}


class TwoStep:
    """A sorted queryset for a paginator, read a page at a time in two queries. `count`: the
    number of rows when known already; `then`: called with each page's rows."""

    ordered = True

    def __init__(
        self,
        queryset: QuerySet,
        *,
        count: int | None = None,
        then: Callable[[list], None] | None = None,
    ):
        self.queryset = queryset
        self._count = count
        self.then = then

    def count(self) -> int:
        if self._count is None:
            self._count = self.queryset.order_by().count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list:
        if not isinstance(key, slice):
            raise TypeError("TwoStep is read a page (a slice) at a time")
        ids = self._ids(key)
        if not ids:
            return []
        found = {row.pk: row for row in self.queryset.order_by().filter(pk__in=ids)}
        rows = [found[pk] for pk in ids if pk in found]
        if self.then is not None:
            self.then(rows)
        return rows

    def _ids(self, key: slice) -> list[int]:
        return list(self.queryset.values_list("pk", flat=True)[key])


class BySupplier(TwoStep):
    """Planned purchases by supplier: the run counted each supplier's (and its late ones), so
    a page's rows are those of the supplier groups it overlaps, read through the (run,
    supplier, late, release date) index of purchases at any depth, instead of sorting every
    planned purchase of the run for each page."""

    def __init__(self, queryset: QuerySet, *, groups: list[tuple[int | None, int]], base):
        super().__init__(queryset, count=sum(n for _supplier, n in groups))
        self.groups = groups  # (supplier id, rows) in the page's order
        self.base = base  # the run's planned purchases (late ones only if so filtered)

    def _ids(self, key: slice) -> list[int]:
        """The supplier groups the page overlaps, from the page's first row on: consecutive
        small groups in one query, a big one (the planned purchases with no supplier yet are
        often half of them) alone in two. At most five queries."""
        start, stop, _step = key.indices(self.count())
        chunks: list[tuple[list[int | None], int, bool]] = []  # (suppliers, rows to skip, big)
        first = 0
        for supplier, rows in self.groups:
            last = first + rows
            if last > start and first < stop:
                skip = max(start - first, 0)
                big = rows > BIG_GROUP
                if chunks and not big and not chunks[-1][2]:
                    chunks[-1][0].append(supplier)
                else:
                    chunks.append(([supplier], skip, big))
            first = last
        ids: list[int] = []
        for suppliers, skip, big in chunks:
            ids += self._chunk(suppliers, skip, stop - start - len(ids), big=big)
        return ids

    def _chunk(self, suppliers: list[int | None], skip: int, want: int, *, big: bool) -> list[int]:
        chosen = Q(supplier_id__in=[s for s in suppliers if s])
        if None in suppliers:
            chosen |= Q(supplier_id__isnull=True)
        by = ["-late", "release_date", "item__code", "pk"]
        rows = self.base.filter(chosen)
        if len(suppliers) > 1:
            by.insert(0, F("supplier__code").asc(nulls_last=True))
        elif big:
            rows = rows.filter(_up_to(rows, skip + want))
        return list(rows.order_by(*by).values_list("pk", flat=True)[skip : skip + want])


def _up_to(group: QuerySet, rows: int) -> Q:
    """The rows of one supplier group up to its `rows`-th in (late first, release date)
    order, ties included: found by walking the (run, supplier, late, release date) index, so
    that only they are sorted by item code, not the whole group (200,000 planned purchases
    have no supplier yet in the mid demo factory)."""
    # In the index's own order: a run and a supplier (or none) are one value here, but
    # PostgreSQL walks the index in order only when told so (IS NULL is no equality to it).
    in_order = group.order_by("run_id", "supplier_id", "-late", "release_date")
    found = list(in_order.values_list("late", "release_date")[rows - 1 : rows])
    if not found:
        return Q()
    late, release = found[0]
    if late:
        return Q(late=True, release_date__lte=release)
    return Q(late=True) | Q(late=False, release_date__lte=release)


def counted(run: MrpRun, kind: str | None = None) -> int | None:
    """How many planned orders (of `kind`) the run wrote, if it recorded it."""
    value = run.counts.get(kind or "planned_orders") if isinstance(run.counts, dict) else None
    return value if isinstance(value, int) else None


def shortfall_rows(
    *, run: MrpRun, supplier: str = "", late_only: bool = False, search: str = ""
) -> TwoStep:
    """The shortfall page's rows in its order: suggested supplier by code (none last), late
    first, order-by date, item."""
    rows = selectors.shortfalls(run=run, supplier=supplier, late_only=late_only, search=search)
    if search or run.shortfall_suppliers is None:
        filtered = supplier or late_only or search
        return TwoStep(rows, count=None if filtered else counted(run, PlannedOrder.Kind.PURCHASE))
    by_code: dict[str | None, tuple[int | None, int]] = {}
    for s in selectors.shortfall_suppliers(run=run):
        code = s["supplier__code"]  # None: no supplier (or one since removed)
        wanted = (
            not supplier
            or (supplier == selectors.NO_SUPPLIER and code is None)
            or (code is not None and code == supplier)
        )
        if wanted:
            _id, before = by_code.get(code, (None, 0))
            found = s["late"] if late_only else s["lines"]
            by_code[code] = (s["supplier_id"] if code else None, before + found)
    groups = [by_code[code] for code in sorted(by_code, key=lambda c: (c is None, c or ""))]
    base = PlannedOrder.objects.filter(run=run, kind=PlannedOrder.Kind.PURCHASE)
    if late_only:
        base = base.filter(late=True)
    return BySupplier(rows, groups=[g for g in groups if g[1]], base=base)


def production_rows(*, run: MrpRun, late_only: bool = False, search: str = "") -> TwoStep:
    rows = selectors.planned_production(run=run, late_only=late_only, search=search)
    count = None
    if not search:
        count = counted(run, PlannedOrder.Kind.PRODUCTION)
        if late_only:
            count = _late_production(run)
    return TwoStep(rows, count=count)


def _late_production(run: MrpRun) -> int | None:
    """Late planned orders of the run less the late purchases it counted by supplier."""
    late = counted(run, "late")
    if late is None or run.shortfall_suppliers is None:
        return None
    return late - sum(row[2] for row in run.shortfall_suppliers)


def api_rows(queryset: QuerySet, *, params: Mapping[str, str]) -> TwoStep:
    """The planned-orders API's filtered rows: counted by the run when filtered by the kind
    alone or by late alone."""
    return TwoStep(queryset, count=_api_count(params))


def _api_count(params: Mapping[str, str]) -> int | None:
    used = {name for name in API_FILTERS if params.get(name)}
    if not used <= {"kind"} and used != {"late"}:
        return None
    run = selectors.latest_run()
    if run is None:
        return None
    if used == {"late"}:
        late, total = counted(run, "late"), counted(run)
        answer = LATE_VALUES.get(params["late"])
        if answer is None or late is None or total is None:
            return None
        return late if answer else total - late
    kind = params.get("kind")
    if kind and kind not in PlannedOrder.Kind.values:
        return None
    return counted(run, kind or None)


def expeditable_purchases(*, order: PlannedOrder) -> list[PurchaseOrderLine]:
    """For a planned purchase: the open purchase order lines of its item due after it is
    needed. Asking their supplier to deliver earlier may do instead of buying more."""
    if order.kind != PlannedOrder.Kind.PURCHASE:
        return []
    return list(
        PurchaseOrderLine.objects.filter(
            item_id=order.item_id,
            purchase_order__status=PurchaseOrder.Status.OPEN,
            received_quantity__lt=F("quantity"),
            due_date__gt=order.due_date,
        )
        .select_related("purchase_order__supplier")
        .order_by("due_date", "purchase_order__po_no", "line")
    )
