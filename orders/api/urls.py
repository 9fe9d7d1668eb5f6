from orders.api import (
    credit_approvals,
    margin_floors,
    material_urls,
    order_urls,
    slip_urls,
    work_order_material,
)
from orders.api import receivables_invoices as invoice_urls
from orders.api import receivables_payments as payment_urls
from orders.api import return_requests as return_request_urls

urlpatterns = [
    *order_urls.urlpatterns,
    *material_urls.urlpatterns,
    *slip_urls.urlpatterns,
    *work_order_material.urlpatterns,
    *credit_approvals.urlpatterns,
    *invoice_urls.urlpatterns,
    *return_request_urls.urlpatterns,
    *payment_urls.urlpatterns,
    *margin_floors.urlpatterns,
]
