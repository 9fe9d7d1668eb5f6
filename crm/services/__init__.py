"""Writes of the crm app, one module per concern; the customer functions stay importable as
crm.services.<name>."""

from crm.services.customers import (
    MAX_PHONE_LENGTH,
    clean_phone_numbers,
    customer_create,
    customer_delete,
    customer_set_credit_terms,
    customer_set_phones,
    customer_update,
)

__all__ = [
    "MAX_PHONE_LENGTH",
    "clean_phone_numbers",
    "customer_create",
    "customer_delete",
    "customer_set_credit_terms",
    "customer_set_phones",
    "customer_update",
]
