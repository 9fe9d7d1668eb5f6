"""Receivables pages (应收账款): the aging as of a date (sales: its own customers by default,
managers: everyone; Excel download) and a customer's statement (对账单) for a period, to
print or send by e-mail (a mailto: link to the customer's contact). Reads only, through
orders.receivables.aging and .statement."""

import datetime as dt
from urllib.parse import quote

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.access import roles_required
from customers.models import Contact, Customer
from erp.roles import Role, has_role
from erp.spreadsheet import MONEY, Column, xlsx_bytes, xlsx_response
from orders.receivables.aging import BUCKETS, aging, aging_totals, dso
from orders.receivables.statement import statement

READERS = (Role.SALES.value, Role.MANAGER.value)
PAGE_SIZE = 100
# The Excel download for people (erp.spreadsheet; orders does not import reports): headers
# in the reader's language, money formats and a totals row.
AGING_COLUMNS = (
    Column("customer", gettext_lazy("Customer")),
    Column("current", gettext_lazy("Current"), MONEY, total=True),
    Column("d1_30", gettext_lazy("1-30 days"), MONEY, total=True),
    Column("d31_60", gettext_lazy("31-60 days"), MONEY, total=True),
    Column("d61_90", gettext_lazy("61-90 days"), MONEY, total=True),
    Column("over_90", gettext_lazy("Over 90 days"), MONEY, total=True),
    Column("total", gettext_lazy("Total"), MONEY, total=True),
)
DOCUMENT_URLS = {
    "invoice": "orders:invoice-detail",
    "credit_note": "orders:credit-note-detail",
    "payment": "orders:payment-detail",
}


def sees_everyone(user) -> bool:
    return has_role(user, Role.MANAGER.value)


class AgingForm(forms.Form):
    as_of = forms.DateField(label=gettext_lazy("As of"), required=False)
    scope = forms.ChoiceField(
        label=gettext_lazy("Customers"),
        required=False,
        choices=[("mine", gettext_lazy("My customers")), ("all", gettext_lazy("All customers"))],
    )


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), required=False)
    end = forms.DateField(label=gettext_lazy("To"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The to date is before the from date."))
        return data


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@roles_required(*READERS)
def aging_page(request):
    form = AgingForm(request.GET or None)
    valid = form.is_valid() if request.GET else False
    today = timezone.localdate()
    as_of = (form.cleaned_data.get("as_of") if valid else None) or today
    default_scope = "all" if sees_everyone(request.user) else "mine"
    scope = (form.cleaned_data.get("scope") if valid else "") or default_scope
    salesperson = request.user.pk if scope == "mine" else None
    rows = aging(as_of=as_of, salesperson_id=salesperson)
    if request.GET.get("format") == "xlsx":
        body = xlsx_bytes(
            title=_("Receivables aging"), columns=AGING_COLUMNS, rows=[r.as_dict() for r in rows]
        )
        return xlsx_response(body, what=f"receivables-aging-{scope}", stamp=as_of)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    context = {
        "form": form,
        "as_of": as_of,
        "scope": scope,
        "page": page,
        "rows": page.object_list,
        "totals": aging_totals(rows),
        "buckets": BUCKETS,
        "dso": dso(as_of=as_of) if scope == "all" else None,
        "query": query.urlencode(),
        "customer_count": len(rows),
    }
    return render(request, "orders/aging.html", context)


def _mailto(customer, result, email: str) -> str:
    subject = _("Statement of account %(code)s %(start)s - %(end)s") % {
        "code": customer.code,
        "start": f"{result.start:%Y-%m-%d}",
        "end": f"{result.end:%Y-%m-%d}",
    }
    body = _(
        "Dear %(name)s,\n\nyour statement of account from %(start)s to %(end)s:\n"
        "opening balance %(opening)s, closing balance %(closing)s, "
        "unallocated credit %(credit)s.\n\nPlease let us know if anything differs "
        "from your records."
    ) % {
        "name": customer.name,
        "start": f"{result.start:%Y-%m-%d}",
        "end": f"{result.end:%Y-%m-%d}",
        "opening": result.opening_balance,
        "closing": result.closing_balance,
        "credit": result.unallocated_credit,
    }
    return f"mailto:{quote(email)}?subject={quote(subject)}&body={quote(body)}"


@roles_required(*READERS)
def statement_page(request, code: str):
    customer = (
        Customer.objects.select_related("salesperson").filter(code=code.replace("\x00", "")).first()
    )
    if customer is None:
        raise Http404(_("No customer with this code."))
    form = PeriodForm(request.GET or None)
    today = timezone.localdate()
    start = end = None
    if request.GET and form.is_valid():
        start, end = form.cleaned_data.get("start"), form.cleaned_data.get("end")
    end = end or today
    start = start or end.replace(day=1)
    if end < start:
        start = end.replace(day=1)
    result = statement(customer, start=start, end=end)
    lines = []
    for line in result.lines:
        name = DOCUMENT_URLS.get(line.kind)
        lines.append({"line": line, "url": _url(name, line.number) if name else None})
    email = (
        Contact.objects.filter(customer=customer)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
        .first()
    )
    context = {
        "customer": customer,
        "form": form,
        "result": result,
        "lines": lines,
        "start": start,
        "end": end,
        "mailto": _mailto(customer, result, email) if email else None,
        "email": email,
        "printed": timezone.localtime(),
        "previous_month": _previous_month(start),
    }
    return render(request, "orders/statement.html", context)


def _previous_month(day: dt.date) -> tuple[dt.date, dt.date]:
    last = day.replace(day=1) - dt.timedelta(days=1)
    return last.replace(day=1), last
