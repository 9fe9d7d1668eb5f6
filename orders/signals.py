"""What orders tells the apps above it (they may not be imported from here)."""

from django.dispatch import Signal

# Sent inside the transaction that applied an order change notice, with `change`
# (an OrderChange). Production marks the plan lines that depend on the order as stale.
order_changed = Signal()

# Sent inside the transaction of a delivery (出货单) when its goods have left, with `order`
# (the SalesOrder), `delivery_no` and `user`. The relationship layer sends the customer a
# satisfaction survey.
delivery_shipped = Signal()
