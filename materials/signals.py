"""Signals materials sends to the apps above it (materials must not import them)."""

from django.dispatch import Signal

# Sent after the transaction that put usable stock in commits (a goods receipt).
# Keyword arguments: item_ids (set of Item ids). orders refreshes its material status.
stock_received = Signal()

# Sent inside the transaction that changed a row of the defect-control table, with `change`
# (a DefectRateChange). orders makes the order lines open at that moment keep their rates.
defect_rate_changed = Signal()

# Sent inside the transaction of an inspection decision that rejected goods, with `lot`
# (an InspectionLot), `quantity`, `reason` and `user`. production opens the NCR.
inspection_rejected = Signal()
