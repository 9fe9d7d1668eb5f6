"""Sortable tables (erp/sorting.py, `{% sort_header %}`): only whitelisted keys, a stable
order by primary key, and header links that keep the other query parameters."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.test import RequestFactory

from erp.sorting import apply_sort, sort_rows
from tests.factories import UserFactory

ALLOWED = {"name": "username", "joined": ("date_joined", "username"), "first": "first_name"}


def request(query: str = ""):
    return RequestFactory().get("/list/" + (f"?{query}" if query else ""))


@pytest.fixture
def users(db):
    return [
        UserFactory(username="carol", first_name="B"),
        UserFactory(username="alice", first_name="B"),
        UserFactory(username="bob", first_name="A"),
    ]


def names(queryset) -> list[str]:
    return [u.username for u in queryset]


def test_an_allowed_key_sorts_ascending_and_with_a_minus_descending(users):
    people = get_user_model().objects.filter(pk__in=[u.pk for u in users])
    asc = apply_sort(people, request("sort=name"), allowed=ALLOWED, default="joined")
    assert names(asc) == ["alice", "bob", "carol"]
    desc = apply_sort(people, request("sort=-name"), allowed=ALLOWED, default="joined")
    assert names(desc) == ["carol", "bob", "alice"]


@pytest.mark.parametrize(
    "bad", ["password", "-password", "username", "name__startswith", "--name", "", "-"]
)
def test_keys_not_offered_fall_back_to_the_default_silently(users, bad):
    people = get_user_model().objects.filter(pk__in=[u.pk for u in users])
    r = request(f"sort={bad}")
    answer = apply_sort(people, r, allowed=ALLOWED, default="-name")
    assert names(answer) == ["carol", "bob", "alice"]
    assert r.erp_sort == "-name"
    assert "password" not in str(answer.query).split("ORDER BY")[1]


def test_equal_values_are_ordered_by_primary_key_in_the_same_direction(users):
    people = get_user_model().objects.filter(pk__in=[u.pk for u in users])
    carol, alice, bob = users
    asc = apply_sort(people, request("sort=first"), allowed=ALLOWED, default="name")
    assert names(asc) == ["bob", "carol", "alice"]  # B: carol before alice by pk
    desc = apply_sort(people, request("sort=-first"), allowed=ALLOWED, default="name")
    assert names(desc) == ["alice", "carol", "bob"]


def test_a_bad_default_is_a_programming_error():
    with pytest.raises(ValueError):
        apply_sort(get_user_model().objects.all(), request(), allowed=ALLOWED, default="nope")


def test_rows_in_memory_sort_with_missing_values_last():
    rows = [{"v": 2}, {"v": None}, {"v": 1}]
    allowed = {"v": lambda r: r["v"]}
    assert sort_rows(rows, request("sort=v"), allowed=allowed, default="v") == [
        {"v": 1},
        {"v": 2},
        {"v": None},
    ]
    assert sort_rows(rows, request("sort=-v"), allowed=allowed, default="v") == [
        {"v": 2},
        {"v": 1},
        {"v": None},
    ]
    assert sort_rows(rows, request("sort=x"), allowed=allowed, default="-v")[0] == {"v": 2}


def header(r, key: str = "name", label: str = "Name") -> str:
    return Template("{% load erp_sorting %}{% sort_header key label %}").render(
        Context({"request": r, "key": key, "label": label})
    )


def link_query(html: str) -> dict:
    href = html.split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    return parse_qs(urlparse(href).query)


def test_header_link_keeps_filters_and_page_and_toggles_the_direction(users):
    r = request("status=open&page=3&sort=name")
    apply_sort(get_user_model().objects.all(), r, allowed=ALLOWED, default="joined")
    html = header(r)
    assert link_query(html) == {"status": ["open"], "page": ["3"], "sort": ["-name"]}
    assert 'data-sort-state="ascending"' in html and "▲" in html

    r = request("status=open&sort=-name")
    apply_sort(get_user_model().objects.all(), r, allowed=ALLOWED, default="joined")
    html = header(r)
    assert link_query(html)["sort"] == ["name"] and "▼" in html


def test_another_column_starts_ascending_and_the_default_shows_as_in_force(users):
    r = request("q=x")
    apply_sort(get_user_model().objects.all(), r, allowed=ALLOWED, default="-joined")
    assert link_query(header(r, "name"))["sort"] == ["name"]
    assert 'data-sort-state="none"' in header(r, "name")
    assert 'data-sort-state="descending"' in header(r, "joined", "Joined")


def test_the_label_is_escaped(users):
    r = request()
    html = header(r, "name", "<b>x</b>")
    assert "<b>" not in html and "&lt;b&gt;" in html
