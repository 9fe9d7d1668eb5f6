from orders import urls_aging, urls_invoices, urls_material, urls_orders, urls_payments, urls_slips

app_name = "orders"
urlpatterns = [
    *urls_orders.urlpatterns,
    *urls_material.urlpatterns,
    *urls_slips.urlpatterns,
    *urls_invoices.urlpatterns,
    *urls_payments.urlpatterns,
    *urls_aging.urlpatterns,
]
