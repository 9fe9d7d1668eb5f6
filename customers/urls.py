from django.urls import path

from customers import views

app_name = "customers"
urlpatterns = [
    path("new/", views.customer_new, name="customer-create"),
    path("birthdays/", views.birthday_list, name="birthday-list"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact-edit"),
    path("contacts/<int:pk>/delete/", views.contact_remove, name="contact-delete"),
    path("<path:code>/contacts/new/", views.contact_new, name="contact-create"),
    path("<path:code>/edit/", views.customer_edit, name="customer-edit"),
]
