from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    """The customer master (customers, contacts, phone numbers): below orders in the
    dependency line, so every app may read it and it reads none of them."""

    name = "customers"
    verbose_name = _("customers")
