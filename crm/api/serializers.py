"""Customers in and out: the salesperson by username, phone numbers as a list of strings,
contacts read nested. Rules are checked by crm.services."""

from rest_framework import serializers

from crm.models import Contact, Customer
from erp.api.serializers import AUDIT_FIELDS, AuditedModelSerializer, user_by_username_field

MAX_PHONES = 50


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
        help_text="The customer's phone numbers; writing the list replaces them.",
    )
    contacts = ContactSerializer(many=True, read_only=True)

    class Meta:
        model = Customer
        fields = [
            "code",
            "name",
            "industry",
            "region",
            "salesperson",
            "key_account",
            "is_active",
            "notes",
            "phones",
            "contacts",
            *AUDIT_FIELDS,
        ]
