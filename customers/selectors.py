"""Reads of the customer master that the layers above share.

A customer's tier (VIP, important, normal, potential) is decided by the profit ranking in
`reports`, which sits above every other app. So that the relationship pages (crm) can show
and act on it without importing `reports`, the ranking registers its reader here when the
app loads (reports.apps) and `current_tier` asks it."""

from collections.abc import Callable
from typing import Any

_tier_source: Callable[..., Any] | None = None


def register_tier_source(source: Callable[..., Any]) -> None:
    """`source(customer_id=...)` returns the customer's tier now (an object with `.tier`
    and `.why(with_figures=...)`) or None when the customer has none yet."""
    global _tier_source
    _tier_source = source


def current_tier(*, customer_id: int) -> Any | None:
    """The customer's tier now as the registered ranking reports it; None when it has no
    tier yet or no ranking is installed."""
    if _tier_source is None:
        return None
    return _tier_source(customer_id=customer_id)


def current_tier_code(*, customer_id: int) -> str | None:
    """Just the tier code ("VIP", ...), or None."""
    tier = current_tier(customer_id=customer_id)
    return tier.tier if tier else None
