"""Managers' delivery, stock and purchasing pages beside profit: on-time delivery by month
and customer, stock value and inventory turns by item kind, purchase lead time by
supplier; each with its Excel download. Periods default to this year to date."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from reports.exports import Period, report_rows
from reports.forms_profit import PeriodForm
from reports.kpi import delivery, inventory, purchasing
from reports.kpi import rows as kpi_rows  # also registers the reports
from reports.kpi.periods import bounded
from reports.profit.charts import COUNT, DAYS, MONEY, PERCENT, bar_chart
from reports.profit.periods import period_label, period_slug
from reports.views_dashboard import manager_required
from reports.workbook.exporter import XLSX_CONTENT_TYPE

PAGE_SIZE = 100
DOWNLOADS = ("on-time-delivery", "on-time-by-month", "inventory-turns", "purchase-lead-time")


def period_query(period: Period) -> str:
    parts = [f"from={period.start:%Y-%m-%d}" if period.start else ""]
    parts.append(f"to={period.end:%Y-%m-%d}" if period.end else "")
    return "&".join(p for p in parts if p)


def _period(request) -> tuple[PeriodForm, Period]:
    form = PeriodForm(request.GET or None)
    return form, bounded(form.period())


def _page_query(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@manager_required
def on_time_delivery(request):
    form, period = _period(request)
    months = delivery.on_time_by_month(period=period)
    page = Paginator(delivery.on_time_by_customer(period=period), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "period": period,
        "label": period_label(period),
        "period_query": period_query(period),
        "query": _page_query(request),
        "total": delivery.on_time_total(period=period),
        "months": months,
        "chart": bar_chart(
            [(m.label, m.rate) for m in months if m.rate is not None],
            x_title=_("Month of the promised date"),
            y_title=_("Lines on time"),
            unit=PERCENT,
        ),
        "page": page,
        "customers": delivery.as_rows(page.object_list),
        "from_label": _("Promised from"),
    }
    return render(request, "reports/on_time_delivery.html", context)


@manager_required
def inventory_turns(request):
    form, period = _period(request)
    report = inventory.inventory_turns(period=period)
    context = {
        "form": form,
        "period": report.period,
        "label": period_label(report.period),
        "period_query": period_query(report.period),
        "report": report,
        "chart": bar_chart(
            [(f"{on:%Y-%m-%d}", value) for on, value in report.total.points],
            x_title=_("End of day"),
            y_title=_("Stock value"),
            unit=MONEY,
        ),
        "from_label": _("From"),
    }
    return render(request, "reports/inventory_turns.html", context)


@manager_required
def purchase_lead_time(request):
    form, period = _period(request)
    page = Paginator(purchasing.lead_time_by_supplier(period=period), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    suppliers = purchasing.as_rows(page.object_list)
    context = {
        "form": form,
        "period": period,
        "label": period_label(period),
        "period_query": period_query(period),
        "query": _page_query(request),
        "total": purchasing.lead_time_total(period=period),
        "page": page,
        "suppliers": suppliers,
        "chart": bar_chart(
            [(s.code, s.average_days) for s in suppliers[:24] if s.average_days is not None],
            x_title=_("Supplier"),
            y_title=_("Days from order to receipt"),
            unit=DAYS,
        ),
        "from_label": _("Received from"),
        "count_unit": COUNT,
    }
    return render(request, "reports/purchase_lead_time.html", context)


@manager_required
def kpi_download(request, name: str):
    """One of the figures above as an Excel file, for the period in the query string
    (default this year to date)."""
    if name not in DOWNLOADS:
        raise Http404
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        return HttpResponseBadRequest(" ".join(errors), content_type="text/plain; charset=utf-8")
    period = bounded(form.period())
    _report, rows = report_rows(name, period)
    response = HttpResponse(kpi_rows.readable_xlsx(name, rows), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}-{period_slug(period)}.xlsx"'
    return response
