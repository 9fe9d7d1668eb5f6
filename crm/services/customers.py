"""The customer master's writes live in customers.services (below orders); these names stay
importable from here for the crm API and older callers."""

from customers.services import (  # noqa: F401
    MAX_CREDIT_LIMIT,
    MAX_PHONE_LENGTH,
    MAX_TERMS_DAYS,
    CreditTermsRefused,
    check_credit_terms_change,
    clean_credit_terms,
    clean_phone_numbers,
    customer_create,
    customer_delete,
    customer_set_credit_terms,
    customer_set_phones,
    customer_update,
)
