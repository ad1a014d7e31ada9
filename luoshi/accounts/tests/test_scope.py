"""What each role sees, and that everything else answers 404 or 403."""

import pytest
from django.urls import reverse

from luoshi.accounts.models import User
from luoshi.orgs.models import Unit

pytestmark = pytest.mark.django_db

ALL = {"R", "A", "A1", "A2", "B", "B1", "D1", "D2"}
EXPECTED_UNITS = {
    "office": ALL,
    "secretary": ALL,
    "deputy": {"A", "A1", "A2", "D1"},
    "head_a": {"A", "A1", "A2"},
    "liaison_a": {"A", "A1", "A2"},
    "liaison_a1": {"A1"},
    "liaison_b": {"B", "B1"},
    "provider": {"D1"},
    "reviewer": ALL,
    "observer": {"B", "B1"},
    "nobody": set(),
}


@pytest.mark.parametrize("username", sorted(EXPECTED_UNITS))
def test_each_role_sees_exactly_its_units(people, username):
    user = User.objects.get(username=username)
    assert (
        set(Unit.objects.visible_to(user).values_list("code", flat=True))
        == EXPECTED_UNITS[username]
    )


@pytest.mark.parametrize("username", sorted(EXPECTED_UNITS))
def test_a_unit_outside_the_scope_answers_404_on_page_and_api(people, login, username):
    client = login(User.objects.get(username=username))
    for unit in Unit.objects.all():
        page = client.get(reverse("orgs:detail", args=[unit.pk]))
        api = client.get(f"/api/v1/units/{unit.pk}")
        children = client.get(reverse("orgs:children", args=[unit.pk]))
        expected = 200 if unit.code in EXPECTED_UNITS[username] else 404
        assert (page.status_code, api.status_code, children.status_code) == (expected,) * 3, (
            unit.code
        )


@pytest.mark.parametrize(
    "username",
    ["secretary", "deputy", "head_a", "liaison_a1", "provider", "reviewer", "observer", "nobody"],
)
def test_only_the_office_manages_people_units_and_audit(people, tree, login, username):
    client = login(User.objects.get(username=username))
    own_unit = Unit.objects.visible_to(User.objects.get(username=username)).first() or tree.root
    forbidden_get = [
        reverse("accounts:people"),
        reverse("accounts:person_new"),
        reverse("accounts:person", args=[people.liaison_a.pk]),
        reverse("audit:events"),
        reverse("audit:verify"),
        reverse("orgs:import"),
        reverse("orgs:edit", args=[own_unit.pk]),
        reverse("orgs:new_child", args=[own_unit.pk]),
    ]
    for url in forbidden_get:
        assert client.get(url).status_code in (403, 404), url
    forbidden_post = [
        reverse("accounts:person_reset_password", args=[people.liaison_a.pk]),
        reverse("accounts:person_set_active", args=[people.liaison_a.pk]),
        reverse("orgs:retire", args=[own_unit.pk]),
        reverse("orgs:edit", args=[own_unit.pk]),
    ]
    for url in forbidden_post:
        assert client.post(url, {"name": "改名", "active": "0"}).status_code in (403, 404), url
    people.liaison_a.refresh_from_db()
    assert people.liaison_a.is_active
    assert not Unit.objects.exclude(status=Unit.Status.ACTIVE).exists()
    assert not Unit.objects.filter(name="改名").exists()


def test_office_sees_people_pages_and_a_liaison_sees_a_404_for_others(people, login):
    office = login(people.office)
    assert office.get(reverse("accounts:person", args=[people.liaison_b.pk])).status_code == 200


def test_navigation_follows_the_role(people, login):
    office_page = login(people.office).get("/").content.decode()
    assert reverse("accounts:people") in office_page and reverse("audit:events") in office_page
    liaison_page = login(people.liaison_a1).get("/").content.decode()
    assert reverse("accounts:people") not in liaison_page
    assert reverse("audit:events") not in liaison_page
    assert "甲一村" in liaison_page


def test_anonymous_is_sent_to_log_in_and_the_api_answers_401(people, client):
    response = client.get(reverse("orgs:tree"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get("/api/v1/units").status_code == 401
