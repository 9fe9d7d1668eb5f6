"""The stored availability of section 3b: one refresh computes every open line of the
factory at once (the line due first takes first, so one order's answer depends on every
line ahead of it) and stores its rows, each order's status, and the fingerprint of the
inputs it saw. Readers serve the stored rows (one order: one indexed query) and refresh
first when the inputs changed: at once in a small factory, in the background above
`MATERIAL_SYNC_LINES` open lines (the page then says "as of").

Memory stays flat: rows are written in batches while the lines are computed."""

import io
import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from erp.services import notify
from orders.availability.engine import WORST, LineResult, allocate
from orders.availability.inputs import (
    inputs_fingerprint,
    load_demands,
    load_pool,
    load_structure,
)
from orders.models import (
    LineMaterial,
    MaterialAvailabilityState,
    MaterialStatus,
    SalesOrder,
)
from orders.states import ASKING_STATES, OPEN_STATES

log = logging.getLogger(__name__)
BATCH = 20000
QUEUED_KEY = "orders:material-refresh-queued"
COLUMNS = (
    "order_id",
    "order_line_id",
    "item_id",
    "seq",
    "made",
    "need",
    "from_stock",
    "to_make",
    "on_order",
    "short",
)


def sync_limit() -> int:
    return int(getattr(settings, "MATERIAL_SYNC_LINES", 5000))


def state() -> MaterialAvailabilityState:
    found = MaterialAvailabilityState.objects.filter(pk=1).first()
    return found or MaterialAvailabilityState(pk=1)


def is_fresh(current: MaterialAvailabilityState | None = None) -> bool:
    current = current or state()
    return bool(current.computed_at) and current.fingerprint == inputs_fingerprint()


def ensure_fresh() -> tuple[MaterialAvailabilityState, bool]:
    """(state, stale): refresh now if the inputs changed and the factory is small enough,
    else ask the background worker and say the stored answer is stale."""
    current = state()
    if is_fresh(current):
        return current, False
    if current.lines <= sync_limit():
        return refresh_material_availability(), False
    request_refresh()
    return current, True


def request_refresh() -> None:
    """Refresh soon, once: after the caller's transaction commits, in the background when a
    Celery broker is configured (a second request while one is queued is dropped)."""

    def enqueue() -> None:
        if cache.add(QUEUED_KEY, 1, timeout=600):
            from orders.tasks import refresh_material_availability_task

            try:
                refresh_material_availability_task.delay()
            except Exception:  # the broker is down: the nightly job and readers catch up
                cache.delete(QUEUED_KEY)
                log.exception("could not queue the material availability refresh")

    transaction.on_commit(enqueue, robust=True)


def refresh_material_availability(
    *, tell_salespeople: bool = True, force: bool = False
) -> MaterialAvailabilityState:
    """Compute section 3b for every open line and store it (one refresh at a time; none
    when nothing changed since the last one, unless `force`)."""
    started = time.monotonic()
    with transaction.atomic():
        current, _created = MaterialAvailabilityState.objects.select_for_update().get_or_create(
            pk=1
        )
        fingerprint = inputs_fingerprint()
        if current.computed_at and current.fingerprint == fingerprint and not force:
            return current  # another refresh did it while this one waited
        confirmed, drafts = load_demands()
        structure = load_structure({d.item_id for d in (*confirmed, *drafts)})
        pool = load_pool()
        LineMaterial.objects.all().delete()
        statuses: dict[int, str] = {}
        rows = 0
        batch: list[tuple] = []
        for result in allocate(confirmed, drafts, structure=structure, pool=pool):
            order_id = result.demand.order_id
            previous = statuses.get(order_id)
            if previous is None or WORST[result.status] > WORST[previous]:
                statuses[order_id] = result.status
            batch.extend(_tuples(result))
            if len(batch) >= BATCH:
                rows += _write(batch)
                batch = []
        rows += _write(batch)
        changed = _store_statuses(statuses)
        current.fingerprint = fingerprint
        current.computed_at = timezone.now()
        current.lines = len(confirmed) + len(drafts)
        current.rows = rows
        current.seconds = Decimal(time.monotonic() - started).quantize(Decimal("0.001"))
        current.save()
    cache.delete(QUEUED_KEY)
    if tell_salespeople:
        _tell_salespeople(changed)
    return current


def _tuples(result: LineResult) -> Iterable[tuple]:
    d = result.demand
    for r in result.rows:
        yield (
            d.order_id,
            d.line_id,
            r.item_id,
            r.seq,
            r.made,
            r.need,
            r.from_stock,
            r.to_make,
            r.on_order,
            r.short,
        )


def _write(batch: list[tuple]) -> int:
    if not batch:
        return 0
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        for row in batch:
            buffer.write(
                "\t".join("t" if v is True else "f" if v is False else str(v) for v in row)
            )
            buffer.write("\n")
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_from(buffer, LineMaterial._meta.db_table, columns=COLUMNS)
    else:
        LineMaterial.objects.bulk_create(
            (LineMaterial(**dict(zip(COLUMNS, row, strict=True))) for row in batch),
            batch_size=2000,
        )
    return len(batch)


def _store_statuses(statuses: dict[int, str]) -> list[tuple[int, str, str]]:
    """Store each order's status (one UPDATE per status, only orders that changed); orders
    no longer taking material keep theirs. Returns (order id, before, after) of changes."""
    before = dict(
        SalesOrder.objects.filter(status__in=[*OPEN_STATES, *ASKING_STATES]).values_list(
            "pk", "material_status"
        )
    )
    groups: dict[str, list[int]] = defaultdict(list)
    changed = []
    for order_id, status in statuses.items():
        old = before.get(order_id)
        if old != status:
            groups[status].append(order_id)
            changed.append((order_id, old or MaterialStatus.UNKNOWN, status))
    now = timezone.now()
    for status, ids in groups.items():
        for start in range(0, len(ids), 5000):
            SalesOrder.objects.filter(pk__in=ids[start : start + 5000]).update(
                material_status=status, material_checked_at=now
            )
    return changed


def _tell_salespeople(changed: list[tuple[int, str, str]]) -> None:
    """Sales follow-up hears (DOMAIN.md 525) when an order's material status changes; a
    first check that finds it covered is no news."""
    news = [c for c in changed if not (c[1] == MaterialStatus.UNKNOWN and c[2] == "covered")]
    if not news or len(news) > 500:  # a first refresh of a whole factory is not news
        return
    orders = SalesOrder.objects.select_related("customer__salesperson").in_bulk(
        [order_id for order_id, _b, _a in news]
    )
    for order_id, before, after in news:
        order = orders[order_id]
        person = order.customer.salesperson
        if person is None or not person.is_active:
            continue
        notify(
            users=[person],
            message=f"Order {order.order_no}: material is now {MaterialStatus(after).label} "
            f"(was {MaterialStatus(before).label}).",
            url=reverse("orders:order-material", args=[order.order_no]),
        )
