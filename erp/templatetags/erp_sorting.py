"""`{% sort_header "key" "Label" %}`: a column header that sorts the list by `key` (see
erp/sorting.py). A click on the column in force reverses it; another column starts
ascending. The link keeps every other query parameter (filters, page)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from erp.sorting import PARAM

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label) -> str:
    request = context.get("request")
    if request is None:
        return format_html("{}", label)
    current = getattr(request, "erp_sort", None) or request.GET.get(PARAM, "")
    if current == key:
        target, state, arrow = f"-{key}", "ascending", "▲"
    elif current == f"-{key}":
        target, state, arrow = key, "descending", "▼"
    else:
        target, state, arrow = key, "none", ""
    query = request.GET.copy()
    query[PARAM] = target
    title = gettext("Sort by %(column)s") % {"column": label}
    return format_html(
        '<a class="sort-link link-body-emphasis text-decoration-none" href="?{}" '
        'data-sort="{}" data-sort-state="{}" title="{}">{}<span class="sort-arrow" '
        'aria-hidden="true">{}</span></a>',
        query.urlencode(),
        key,
        state,
        title,
        label,
        arrow and f" {arrow}",
    )
