"""Production writes, one module per business action family:

- receipts: finished goods into the warehouse (成品入库)
- downtime: planned machine downtime
- plans: the production plan (生产计划表), its approval and revisions, work orders from it
- daily: daily production reports (生产日报表)
- contact: contact slips (联络单) and their decisions

`from production.services import finished_goods_receipt` keeps working."""

from production.services.receipts import (
    CLOSED_ORDER_STATES,
    RECEIPT_PREFIX,
    ReceiptExceedsWorkOrder,
    finished_goods_receipt,
)

__all__ = [
    "CLOSED_ORDER_STATES",
    "RECEIPT_PREFIX",
    "ReceiptExceedsWorkOrder",
    "finished_goods_receipt",
]
