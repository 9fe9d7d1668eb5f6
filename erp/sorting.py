"""Sortable list pages: `?sort=key` (ascending) or `?sort=-key` (descending), where `key` is
one of the page's whitelisted columns. Anything else (a model field not offered, a lookup,
garbage) is ignored silently and the page keeps its default order, so the query string can
never reach an arbitrary field. Every order ends with the primary key in the same direction,
so equal values keep a stable order from page to page; a missing value (no due date, no
price) goes to the bottom in either direction.

    rows = apply_sort(
        Order.objects.all(), request,
        allowed={"no": "order_no", "customer": "customer__code", "due": "due_date"},
        default="-due",
    )

and in the template `{% load erp_sorting %}` ... `<th>{% sort_header "due" _("Due") %}</th>`.
"""

from collections.abc import Mapping, Sequence

from django.db.models import F, QuerySet
from django.http import HttpRequest

PARAM = "sort"

Fields = str | Sequence[str]


def parse(value: str | None, allowed: Mapping[str, Fields]) -> tuple[str, bool] | None:
    """(key, descending) for a whitelisted `?sort=` value, else None."""
    if not value or not isinstance(value, str):
        return None
    descending = value.startswith("-")
    key = value[1:] if descending else value
    if key not in allowed:
        return None
    return key, descending


def ordering(
    key: str, descending: bool, allowed: Mapping[str, Fields], stable: Sequence[str] = ("pk",)
) -> list:
    fields = allowed[key]
    names = [fields] if isinstance(fields, str) else list(fields)
    names += [name for name in stable if name not in names]
    return [
        F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
        for name in names
    ]


def apply_sort(
    queryset: QuerySet,
    request: HttpRequest,
    *,
    allowed: Mapping[str, Fields],
    default: str,
    stable: Sequence[str] = ("pk",),
) -> QuerySet:
    """`queryset` ordered by the request's `?sort=` when it names an allowed key, else by
    `default` (a key of `allowed`, "-" in front for descending), then by `stable` (the
    primary key; the grouping keys of an aggregate, which has none) in the same direction.
    Records the order in force on the request (`request.erp_sort`) for `{% sort_header %}`."""
    chosen = parse(request.GET.get(PARAM), allowed) or parse(default, allowed)
    if chosen is None:
        raise ValueError(f"default sort {default!r} is not one of {sorted(allowed)}")
    key, descending = chosen
    request.erp_sort = f"-{key}" if descending else key
    return queryset.order_by(*ordering(key, descending, allowed, stable))


def sort_rows(rows: list, request: HttpRequest, *, allowed: Mapping, default: str) -> list:
    """The same for rows already in memory (a report computed in SQL then listed): `allowed`
    maps a key to a function giving the value to sort by."""
    chosen = parse(request.GET.get(PARAM), allowed) or parse(default, allowed)
    if chosen is None:
        raise ValueError(f"default sort {default!r} is not one of {sorted(allowed)}")
    key, descending = chosen
    request.erp_sort = f"-{key}" if descending else key
    value = allowed[key]
    present = [r for r in rows if value(r) is not None]
    missing = [r for r in rows if value(r) is None]
    present.sort(key=value, reverse=descending)
    return present + missing
