from orders import urls_material, urls_orders, urls_slips

app_name = "orders"
urlpatterns = [*urls_orders.urlpatterns, *urls_material.urlpatterns, *urls_slips.urlpatterns]
