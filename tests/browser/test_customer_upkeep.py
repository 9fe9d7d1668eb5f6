"""Sales keeps its customers in a real browser, at desktop and tablet width: creates a
customer and a contact with a birthday, logs a contact with its reason, records a phone
survey and sees the score on the customer 360."""

import datetime as dt

import pytest
from django.urls import reverse

from crm.models import Interaction
from crm.models_satisfaction import Survey
from customers.models import Contact, Customer
from erp.roles import Role
from tests.clock import in_days
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.mark.parametrize("width", [1280, 768])
def test_sales_keeps_a_customer_and_records_a_survey(page, log_in, width):
    page.set_viewport_size({"width": width, "height": 900})
    seller = UserFactory(username="lin", first_name="Lin", roles=[Role.SALES.value])
    log_in("lin")

    page.goto(reverse("customers:customer-create"))
    page.fill("#id_code", "ACME")
    page.fill("#id_name", "Acme Pipes")
    page.fill("#id_region", "East")
    page.fill("#id_phones", "021-5555 0001")
    with page.expect_navigation(url="**/crm/customers/ACME/"):
        page.get_by_test_id("save-customer").click()
    assert Customer.objects.get(code="ACME").salesperson == seller
    assert "021-5555 0001" in page.get_by_test_id("phones").inner_text()

    page.get_by_test_id("add-contact").click()
    soon = in_days(5)
    birthday = dt.date(1980, soon.month, soon.day)  # 1980 had a 29 February
    page.fill("#id_name", "Wang Li")
    page.fill("#id_birthday", birthday.isoformat())
    page.fill("#id_notes", "Green tea")
    page.fill("#id_phones", "139 1234 5678")
    with page.expect_navigation(url="**/crm/customers/ACME/"):
        page.get_by_test_id("save-contact").click()
    assert "Wang Li" in page.get_by_test_id("contacts").inner_text()
    assert Contact.objects.get().birthday == birthday

    page.goto(reverse("customers:birthday-list"))
    assert "Wang Li" in page.get_by_test_id("birthdays").inner_text()

    page.goto(reverse("crm:customer-360", args=["ACME"]))
    page.get_by_test_id("log-contact").click()
    page.select_option("#id_reason", "delivery")
    page.fill("#id_subject", "Asked when the pipes arrive")
    with page.expect_navigation(url="**/crm/360/ACME/"):
        page.get_by_role("button", name="Save").click()
    assert Interaction.objects.get().reason == "delivery"
    assert "Asked when the pipes arrive" in page.get_by_test_id("interactions").inner_text()

    page.get_by_test_id("phone-survey").click()
    for name, score in (("quality", 5), ("delivery", 3), ("service", 4), ("overall", 4)):
        page.get_by_test_id(f"question-{name}").get_by_label(str(score), exact=True).check()
    page.fill("#id_respondent", "Wang Li")
    with page.expect_navigation(url="**/crm/360/ACME/"):
        page.get_by_test_id("record-survey").click()
    assert page.get_by_test_id("satisfaction-score").inner_text().strip() == "4.00"
    assert Survey.objects.get().recorded_by == seller
