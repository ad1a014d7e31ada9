"""List pages and list endpoints answer in a fixed number of queries, however many rows."""

import pytest
from django.urls import reverse

from luoshi.accounts.models import Role
from luoshi.conftest import make_person
from luoshi.lib.throttle import RATE_LIMIT_QUERIES
from luoshi.orgs.actions import do_create_unit

pytestmark = pytest.mark.django_db


def grow(tree, classes, n):
    for i in range(n):
        unit = do_create_unit(
            code=f"G{i}",
            name=f"增{i}村",
            unit_class=classes["village"],
            parent=tree.town_a,
            actor=None,
        )
        make_person(f"g{i}.liaison", unit, Role.LIAISON)


@pytest.mark.parametrize("extra", [0, 15])
def test_unit_tree_page(people, tree, classes, login, django_assert_num_queries, extra):
    grow(tree, classes, extra)
    client = login(people.office)
    # session, user, scope (memberships), demo flag, unread messages, roots with counts
    with django_assert_num_queries(6):
        assert client.get(reverse("orgs:tree")).status_code == 200
    with django_assert_num_queries(5):
        assert client.get(reverse("orgs:children", args=[tree.town_a.pk])).status_code == 200
    with django_assert_num_queries(6):
        assert client.get(reverse("orgs:tree"), {"q": "村"}).status_code == 200


@pytest.mark.parametrize("extra", [0, 15])
def test_people_list(people, tree, classes, login, django_assert_num_queries, extra):
    grow(tree, classes, extra)
    client = login(people.office)
    # session, user, scope, demo flag, unread, count, page, memberships of the page
    with django_assert_num_queries(8):
        assert client.get(reverse("accounts:people")).status_code == 200


@pytest.mark.parametrize("extra", [0, 15])
def test_units_api(people, tree, classes, login, django_assert_num_queries, extra):
    grow(tree, classes, extra)
    client = login(people.office)
    with django_assert_num_queries(5 + RATE_LIMIT_QUERIES):
        assert client.get("/api/v1/units").status_code == 200


@pytest.mark.parametrize("extra", [0, 15])
def test_audit_list(people, tree, classes, login, django_assert_num_queries, extra):
    grow(tree, classes, extra)
    client = login(people.office)
    with django_assert_num_queries(7):
        assert client.get(reverse("audit:events")).status_code == 200
