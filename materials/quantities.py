"""The unit rule for every quantity a person enters: it fits the item's unit (an item
counted in whole pieces takes no 1.5). One place; each caller adds where and which field."""

from decimal import Decimal

from erp.numbers import plain


def unit_refusal(item, quantity: Decimal) -> str | None:
    """None when `quantity` fits `item`'s unit, else the sentence that says why not."""
    if quantity % item.quantum == 0:
        return None
    return (
        f"{item.code} is counted in {item.uom} with {item.decimals} decimals; "
        f"{plain(quantity)} has more."
    )
