"""Profit pages for managers: the customer ranking with year-on-year change, customers side
by side by month, one customer's drill-down (months, orders, products), the product profit
table, tiers with their reason, the tier rule and overrides, and Excel downloads of every
report. Live from the shipments (exact), through reports.profit."""

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from customers.models import Customer
from erp.errors import DomainError
from erp.spreadsheet import xlsx_response
from reports.exports import REPORTS, Period, report_rows, to_readable_xlsx
from reports.forms_profit import AsOfForm, PeriodForm, TierOverrideForm, TierSettingsForm
from reports.models import TierChange, TierSettings
from reports.profit import selectors, services
from reports.profit.amounts import ZERO, ratio
from reports.profit.charts import bar_chart
from reports.profit.periods import parse_period, period_label, period_slug
from reports.profit.tiers import current_rule, customer_tiers, tier_of
from reports.views_dashboard import manager_required

PAGE_SIZE = 100
MAX_COMPARED = 8


def _year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _previous_year(period: Period) -> Period | None:
    """The same days one year earlier, when the period lies within one calendar year (a
    calendar year, or this year to date)."""
    if period.start is None or period.end is None or period.start.year != period.end.year:
        return None
    return Period(start=_year_earlier(period.start), end=_year_earlier(period.end))


def _query(period: Period) -> str:
    label = period_label(period)
    if label.isdigit():
        return f"year={label}"
    parts = [f"from={period.start:%Y-%m-%d}" if period.start else ""]
    parts.append(f"to={period.end:%Y-%m-%d}" if period.end else "")
    return "&".join(p for p in parts if p)


def _change(now, before) -> dict:
    """Change from `before` (0 when the customer did not ship then); rate None from 0."""
    return {"before": before, "delta": now - before, "rate": ratio(now - before, abs(before))}


@manager_required
def customer_profit(request):
    form = PeriodForm(request.GET or None)
    period = form.period()
    rows = selectors.customer_profit(start=period.start, end=period.end)
    total_profit = sum((r.profit for r in rows), ZERO)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    previous = _previous_year(period)
    before = {}
    if previous is not None:
        before = {
            r.customer_id: r.profit
            for r in selectors.customer_profit(
                start=previous.start,
                end=previous.end,
                customer_ids=[r.customer_id for r in page.object_list],
            )
        }
    lines = [
        {
            "row": r,
            "share": ratio(r.profit, total_profit) if r.profit > 0 else None,
            "change": _change(r.profit, before.get(r.customer_id, ZERO)) if previous else None,
        }
        for r in page.object_list
    ]
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "period": period,
        "label": period_label(period),
        "previous": previous and period_label(previous),
        "lines": lines,
        "page": page,
        "query": params.urlencode(),
        "period_query": _query(period),
        "total_profit": total_profit,
        "max_compared": MAX_COMPARED,
    }
    return render(request, "reports/customer_profit.html", context)


def _months(period: Period) -> list[dt.date]:
    start = period.start
    end = period.end
    if start is None or end is None:
        return []
    months, month = [], start.replace(day=1)
    while month <= end and len(months) < 120:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


@manager_required
def customer_compare(request):
    """Chosen customers side by side, month by month, with month-on-month change and the
    year-on-year change of their totals."""
    form = PeriodForm(request.GET or None)
    period = form.period()
    codes = [c.replace("\x00", "") for c in request.GET.getlist("c") if c][:MAX_COMPARED]
    customers = list(Customer.objects.filter(code__in=codes).order_by("code"))
    months = _months(period)
    by_month = selectors.customer_monthly_profit(
        customer_ids=[c.pk for c in customers], start=period.start, end=period.end
    )
    previous = _previous_year(period)
    totals_before = {}
    if previous is not None and customers:
        totals_before = {
            r.customer_id: r.profit
            for r in selectors.customer_profit(
                start=previous.start, end=previous.end, customer_ids=[c.pk for c in customers]
            )
        }
    table = []
    for month in months:
        cells = []
        for customer in customers:
            series = by_month.get(customer.pk, {})
            value = series.get(month, ZERO)
            prior_month = (month - dt.timedelta(days=1)).replace(day=1)
            last = series.get(prior_month, ZERO) if prior_month >= months[0] else None
            cells.append({"value": value, "change": None if last is None else value - last})
        table.append({"month": month, "cells": cells})
    totals = []
    for customer in customers:
        now = sum(by_month.get(customer.pk, {}).values(), ZERO)
        totals.append(
            {
                "customer": customer,
                "total": now,
                "change": _change(now, totals_before.get(customer.pk, ZERO)) if previous else None,
            }
        )
    context = {
        "form": form,
        "period": period,
        "label": period_label(period),
        "previous": previous and period_label(previous),
        "customers": customers,
        "table": table,
        "totals": totals,
        "period_query": _query(period),
    }
    return render(request, "reports/customer_compare.html", context)


@manager_required
def customer_profit_detail(request, code: str):
    customer = get_object_or_404(
        Customer.objects.select_related("salesperson"), code=code.replace("\x00", "")
    )
    form = PeriodForm(request.GET or None)
    period = form.period()
    months = selectors.monthly_profit(start=period.start, end=period.end, customer_id=customer.pk)
    rule = current_rule()
    context = {
        "customer": customer,
        "form": form,
        "period": period,
        "label": period_label(period),
        "period_query": _query(period),
        "months": months,
        "chart": bar_chart(
            [(f"{m.month:%Y-%m}", m.profit) for m in months],
            x_title=_("Month shipped"),
            y_title=_("Profit"),
        ),
        "orders": selectors.order_profit(
            customer_id=customer.pk, start=period.start, end=period.end
        ),
        "products": selectors.product_profit(
            start=period.start, end=period.end, customer_id=customer.pk
        ),
        "totals": {
            "revenue": sum((m.revenue for m in months), ZERO),
            "cost": sum((m.cost for m in months), ZERO),
            "profit": sum((m.profit for m in months), ZERO),
        },
        "tier": (tier := tier_of(customer=customer, rule=rule)),
        "why": tier.why(rule),
    }
    return render(request, "reports/customer_profit_detail.html", context)


@manager_required
def product_profit(request):
    form = PeriodForm(request.GET or None)
    period = form.period()
    rows = selectors.product_profit(start=period.start, end=period.end)
    context = {
        "form": form,
        "period": period,
        "label": period_label(period),
        "period_query": _query(period),
        "rows": rows,
        "totals": {
            "revenue": sum((r.revenue for r in rows), ZERO),
            "cost": sum((r.cost for r in rows), ZERO),
            "profit": sum((r.profit for r in rows), ZERO),
        },
    }
    context["totals"]["profit_cost_ratio"] = ratio(
        context["totals"]["profit"], context["totals"]["cost"]
    )
    context["totals"]["profit_sales_ratio"] = ratio(
        context["totals"]["profit"], context["totals"]["revenue"]
    )
    return render(request, "reports/product_profit.html", context)


@manager_required
def tiers(request):
    form = AsOfForm(request.GET or None)
    as_of = form.as_of_date()
    rule = current_rule()
    # The page lists by rank (the profit ranking of the year), unranked customers last.
    rows = sorted(
        customer_tiers(as_of=as_of, rule=rule),
        key=lambda row: (row.rank is None, row.rank or 0, row.code),
    )
    wanted = form.cleaned_data.get("tier") if form.is_valid() else ""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.tier] = counts.get(row.tier, 0) + 1
    if wanted:
        rows = [row for row in rows if row.tier == wanted]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    saved = TierSettings.objects.select_related("updated_by").filter(pk=1).first()
    settings = saved or TierSettings()
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "as_of": as_of,
        "year": as_of.year - 1,
        "page": page,
        "lines": [(row, row.why(rule)) for row in page.object_list],
        "counts": counts,
        "query": params.urlencode(),
        "settings": saved,
        "settings_form": TierSettingsForm(
            initial={
                "vip_share": settings.vip_share,
                "important_share": settings.important_share,
                "migrating_drop": settings.migrating_drop,
            }
        ),
        "changes": TierChange.objects.select_related("customer", "changed_by")[:20],
    }
    return render(request, "reports/customer_tiers.html", context)


@manager_required
@require_POST
def tier_settings(request):
    form = TierSettingsForm(request.POST)
    if form.is_valid():
        try:
            services.tier_settings_update(user=request.user, **form.cleaned_data)
        except DomainError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Tier rule saved; the tiers below follow it now."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}")
    return redirect("reports:tiers")


@manager_required
def tier_override(request, code: str):
    customer = get_object_or_404(Customer, code=code.replace("\x00", ""))
    rule = current_rule()
    current = tier_of(customer=customer, rule=rule)
    form = TierOverrideForm(request.POST or None, initial={"tier": current.tier})
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                services.tier_override_remove(
                    customer=customer, user=request.user, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("Override removed; the rule decides again."))
                return redirect("reports:tiers")
            if form.is_valid():
                services.tier_override_set(
                    customer=customer, user=request.user, **form.cleaned_data
                )
                messages.success(request, _("Tier set by hand."))
                return redirect("reports:tiers")
        except DomainError as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
    context = {
        "customer": customer,
        "current": current,
        "why": current.why(rule),
        "form": form,
        "changes": TierChange.objects.filter(customer=customer).select_related("changed_by")[:20],
    }
    return render(request, "reports/tier_override.html", context)


DOWNLOADS = (
    "customer-profit",
    "product-profit",
    "customer-tiers",
    "monthly-profit",
    "complaint-trend",
)


@manager_required
def report_download(request, name: str):
    """Any profit report as an Excel file, for the period in the query string."""
    if name not in DOWNLOADS or name not in REPORTS:
        raise Http404
    params = request.GET
    try:
        period = parse_period(
            year=params.get("year"),
            start=params.get("from"),
            end=params.get("to"),
            as_of=params.get("as_of"),
        )
    except DomainError as refusal:
        messages.error(request, refusal.message)
        return redirect("reports:dashboard")
    report, rows = report_rows(name, period)
    # For people: headers in the reader's language, codes by name, totals (erp.spreadsheet).
    slug = (period.as_of or None) if name == "customer-tiers" else period_slug(period)
    return xlsx_response(to_readable_xlsx(report, rows), what=name, stamp=slug)
