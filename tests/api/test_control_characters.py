"""Control characters are refused in text wherever a client or user writes it (erp/text.py):
the API answers 400 naming the field and writes nothing; forms (pages, admin) show the
error on the field. Tab and line breaks are fine in multi-line text (notes, reasons)."""

import json

import pytest
from django import forms
from django.forms import modelform_factory
from django.urls import reverse
from rest_framework import serializers

from customers.models import Customer
from erp.roles import Role
from erp.text import NoControlCharacters, check_text, strip_control_characters
from materials.models import Item
from tests.factories import CustomerFactory, UserFactory

CUSTOMER = {"code": "NEW", "name": "New Co", "key_account": False, "is_active": True}


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x07", "\x1b", "\x1f", "\x7f", "\x85"])
def test_check_text_refuses_every_control_character(character):
    with pytest.raises(forms.ValidationError) as raised:
        check_text(f"Bad{character}Name")
    assert raised.value.code == "control_character"
    with pytest.raises(forms.ValidationError):
        check_text(f"Bad{character}Name", multiline=True)


def test_line_breaks_and_tabs_only_in_multiline_text():
    for text in ("two\nlines", "tab\there", "windows\r\nline"):
        check_text(text, multiline=True)
        with pytest.raises(forms.ValidationError, match="one line of text"):
            check_text(text)
    check_text("普通的名字 – ok ✓")
    assert strip_control_characters("a\x01b\tc\nd\x7f") == "ab\tc\nd"


def test_every_drf_char_field_carries_the_validator():
    for field in (
        serializers.CharField(),
        serializers.CharField(validators=[]),
        serializers.EmailField(),
        serializers.SlugField(),
        serializers.ListField(child=serializers.CharField()).child,
    ):
        assert NoControlCharacters() in field.validators


@pytest.mark.django_db
def test_api_refuses_a_control_character_with_a_400_naming_the_field(admin_api):
    response = admin_api.post(
        "/api/v1/customers/", {**CUSTOMER, "name": "Bad\u0001Name"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["name"], body
    assert "U+0001" in body["name"][0]
    assert not Customer.objects.filter(code="NEW").exists()


@pytest.mark.django_db
def test_api_refuses_control_characters_in_a_patch_and_in_list_items(admin_api):
    CustomerFactory(code="C1", name="Good")
    response = admin_api.patch("/api/v1/customers/C1/", {"name": "x\x1by"}, format="json")
    assert response.status_code == 400 and "name" in response.json()
    response = admin_api.patch("/api/v1/customers/C1/", {"phones": ["138\x07"]}, format="json")
    assert response.status_code == 400 and "phones" in response.json()
    assert Customer.objects.get(code="C1").name == "Good"
    assert not Customer.objects.get(code="C1").phones.exists()


@pytest.mark.django_db
def test_api_takes_line_breaks_in_notes_but_not_in_a_name(admin_api):
    response = admin_api.post(
        "/api/v1/customers/", {**CUSTOMER, "name": "two\nlines"}, format="json"
    )
    assert response.status_code == 400 and "one line" in response.json()["name"][0]
    response = admin_api.post(
        "/api/v1/customers/",
        {**CUSTOMER, "notes": "first line\nsecond\tline"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Customer.objects.get(code="NEW").notes == "first line\nsecond\tline"


@pytest.mark.django_db
def test_api_refuses_control_characters_in_a_form_encoded_body(admin_api):
    response = admin_api.post("/api/v1/customers/", {**CUSTOMER, "name": "a\x02b"})
    assert response.status_code == 400 and "name" in response.json()


@pytest.mark.django_db
def test_api_checks_fields_declared_on_plain_serializers(admin_api):
    # POST /api/v1/slips/ declares order_no and note itself (not from a model field).
    response = admin_api.post(
        "/api/v1/slips/",
        {"kind": "pick", "order_no": "SO\x01", "note": "a\x02", "lines": []},
        format="json",
    )
    assert response.status_code == 400
    body = json.dumps(response.json())
    assert "order_no" in body and "note" in body


@pytest.mark.django_db
def test_forms_refuse_control_characters_and_keep_line_breaks_in_textareas():
    form_class = modelform_factory(Customer, fields=["code", "name", "notes"])
    form = form_class({"code": "NEW", "name": "Bad\x01Name", "notes": "a\nb"})
    assert not form.is_valid()
    assert list(form.errors) == ["name"] and "U+0001" in form.errors["name"][0]
    form = form_class({"code": "NEW", "name": "Good", "notes": "a\r\nb\tc"})
    assert form.is_valid(), form.errors
    password = forms.CharField(widget=forms.PasswordInput)
    assert password.clean("pass\x01word") == "pass\x01word"  # hashed, never shown


@pytest.mark.django_db
def test_the_admin_refuses_a_control_character_on_the_field(client):
    admin = UserFactory(username="root", roles=[Role.ADMIN.value], is_staff=True)
    client.force_login(admin)
    management = {
        f"{prefix}-{key}": value
        for prefix in ("bom_lines", "routings")
        for key, value in (
            ("TOTAL_FORMS", "0"),
            ("INITIAL_FORMS", "0"),
            ("MIN_NUM_FORMS", "0"),
            ("MAX_NUM_FORMS", "1000"),
        )
    }
    data = {
        "code": "BRK",
        "name": "=HYPERLINK(\x01)",
        "kind": "semi",
        "uom": "pcs",
        "decimals": "0",
        "standard_cost": "1",
        "list_price": "1",
        "lead_time_days": "0",
        "safety_stock": "0",
        "min_order_qty": "0",
        "order_multiple": "0",
        "is_active": "on",
        **management,
    }
    response = client.post(reverse("admin:materials_item_add"), data)
    assert response.status_code == 200
    assert "U+0001" in response.content.decode()
    assert not Item.objects.filter(code="BRK").exists()
