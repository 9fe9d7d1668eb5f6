"""Reads of return requests (退料申请): the warehouse's queue and one request with its
lines. Fixed queries per page."""

from django.db.models import Prefetch, Q, QuerySet

from orders.models import ReturnRequest, ReturnRequestLine


def return_requests(*, status: str = "", search: str = "") -> QuerySet[ReturnRequest]:
    lines = ReturnRequestLine.objects.select_related("item", "order_line").order_by("id")
    requests = (
        ReturnRequest.objects.select_related(
            "order", "work_order", "warehouse", "slip", "created_by", "decided_by"
        )
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("-created_at", "-pk")
    )
    if status:
        requests = requests.filter(status=status)
    if search:
        requests = requests.filter(
            Q(number__icontains=search)
            | Q(order__order_no__icontains=search)
            | Q(work_order__wo_no__icontains=search)
        )
    return requests


def return_request_by_number(*, number: str) -> ReturnRequest | None:
    return return_requests().filter(number=number).first()
