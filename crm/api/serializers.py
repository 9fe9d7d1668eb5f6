"""Customers in and out: the salesperson by username, phone numbers as a list of strings,
contacts read nested. Numbers, contacts and notes only for the roles crm.access allows.
Rules are checked by crm.services."""

from rest_framework import serializers

from crm.services.customers import MAX_TERMS_DAYS
from customers.access import CUSTOMER_PRIVATE_FIELDS, sees_customer_contacts
from customers.models import Contact, Customer
from erp.api.serializers import AUDIT_FIELDS, AuditedModelSerializer, user_by_username_field

MAX_PHONES = 50
PRIVATE_HELP = (
    "Only sales follow-up, quality, managers and administrators see it; omitted for everyone else."
)


class PhoneNumbersField(serializers.ListField):
    """The customer's own numbers (not its contacts'), in order, as strings."""

    child = serializers.CharField(allow_blank=True)  # crm.services checks each number

    def __init__(self, **kwargs):
        super().__init__(max_length=MAX_PHONES, **kwargs)

    def to_representation(self, phones):
        return [phone.number for phone in phones.all() if phone.contact_id is None]


class ContactSerializer(serializers.ModelSerializer):
    """A person at the customer; `phones` are their own numbers."""

    phones = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = ["id", "name", "title", "email", "birthday", "notes", "phones"]
        read_only_fields = fields

    def get_phones(self, contact: Contact) -> list[str]:
        # The customer's numbers are prefetched once; a contact's are among them.
        return [p.number for p in contact.customer.phones.all() if p.contact_id == contact.pk]


class CustomerSerializer(AuditedModelSerializer):
    """A customer with its own phone numbers and its contacts."""

    salesperson = user_by_username_field(allow_null=True, required=False)
    phones = PhoneNumbersField(
        required=False,
        help_text="The customer's phone numbers; writing the list replaces them. " + PRIVATE_HELP,
    )
    contacts = ContactSerializer(many=True, read_only=True, help_text=PRIVATE_HELP)
    credit_limit = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text="Credit limit incl. VAT; 0 = no limit. Everyone reads it; only managers "
        "and administrators may set or change it (403 for anyone else).",
    )
    payment_terms_days = serializers.IntegerField(
        min_value=0,
        max_value=MAX_TERMS_DAYS,
        required=False,
        help_text="Days from an invoice's date to its due date (default 30). Only managers "
        "and administrators may set or change it (403 for anyone else).",
    )

    class Meta:
        model = Customer
        fields = [
            "code",
            "name",
            "industry",
            "region",
            "salesperson",
            "key_account",
            "credit_limit",
            "payment_terms_days",
            "is_active",
            "notes",
            "phones",
            "contacts",
            *AUDIT_FIELDS,
        ]
        extra_kwargs = {"notes": {"help_text": PRIVATE_HELP}}

    def sees_private(self) -> bool:
        if getattr(self.context.get("view"), "swagger_fake_view", False):
            return True  # building the OpenAPI schema: document every field
        request = self.context.get("request")
        return request is not None and sees_customer_contacts(request.user)

    # Left out for roles that may not see them; never `required` in the schema (erp/api/schema.py).
    role_hidden_fields = CUSTOMER_PRIVATE_FIELDS

    def get_fields(self):
        fields = super().get_fields()
        if not self.sees_private():
            for name in self.role_hidden_fields:
                fields.pop(name, None)
        return fields
