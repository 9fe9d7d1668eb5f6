"""Who may use the customer-relationship pages: the roles that serve customers. A page view
decorated with `roles_required(...)` answers 403 to anyone else (administrators always pass)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from erp.roles import Role, has_role

SALES, MANAGER, QUALITY = Role.SALES.value, Role.MANAGER.value, Role.QUALITY.value
# Everyone who serves the customer reads its 360 page and its history.
SERVES_CUSTOMERS = (SALES, MANAGER, QUALITY)
LOGS_CONTACTS = (SALES, MANAGER)
FOLLOWS_UP = (SALES, MANAGER)
HANDLES_COMPLAINTS = (SALES, QUALITY, MANAGER)
# 对客户信息进行严格保密: a customer's contacts, phone numbers and notes are for the roles
# that deal with the customer. Quality is one: it works complaints with the customer's
# people. Everyone else sees a customer's code, name, region, industry, salesperson and
# flags. erp.roles grants the contact and phone-number models to the same roles.
SEES_CUSTOMER_CONTACTS = SERVES_CUSTOMERS
CUSTOMER_PRIVATE_FIELDS = ("notes", "phones", "contacts")
CONTACTS_REFUSED = "Only sales follow-up, quality, managers and administrators may {doing}."


# 信用额度与账期: a customer's credit limit and payment terms are a manager's decision
# (CONTRACT.md section 8). Everyone who sees the customer sees them; only managers and
# administrators set or change them (crm.services.customers refuses anyone else).
CREDIT_TERMS_FIELDS = ("credit_limit", "payment_terms_days")
CREDIT_TERMS_REFUSED = "Only managers and administrators may set or change credit terms ({fields})."


def may_set_credit_terms(user) -> bool:
    """May `user` set a customer's credit limit and payment terms? Managers and
    administrators may."""
    return has_role(user, MANAGER)


# Customer upkeep in the web UI (customers.views): sales follow-up creates customers and keeps
# its own (those it is the salesperson of); managers and administrators keep every customer.
KEEPS_CUSTOMERS = (SALES, MANAGER)


def may_edit_customer(user, customer) -> bool:
    """May `user` edit `customer`, its phone numbers and contacts? Managers and
    administrators any; sales follow-up its own customers."""
    if has_role(user, MANAGER):
        return True
    return has_role(user, SALES) and customer.salesperson_id == user.pk


def sees_customer_contacts(user) -> bool:
    """May `user` read customers' contacts, phone numbers and notes (or find a customer by
    phone number)? Administrators always may."""
    return has_role(user, *SEES_CUSTOMER_CONTACTS)


def roles_required(*roles: str):
    def decorate(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
