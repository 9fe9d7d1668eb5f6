"""Reads of MRP results: the latest succeeded run is what pages and reports show."""

from django.db.models import QuerySet

from production.models import MrpRun, PlannedOrder


def latest_run() -> MrpRun | None:
    return (
        MrpRun.objects.filter(status=MrpRun.Status.SUCCEEDED).order_by("-started_at", "-id").first()
    )


def planned_orders(*, run: MrpRun | None = None) -> QuerySet[PlannedOrder]:
    run = run or latest_run()
    if run is None:
        return PlannedOrder.objects.none()
    return (
        PlannedOrder.objects.filter(run=run)
        .select_related("item")
        .order_by("release_date", "item__code", "due_date")
    )
