import pytest
from django.urls import reverse

from luoshi.accounts.models import Membership, Role, User
from luoshi.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_office_adds_a_person_and_a_role(people, tree, login):
    client = login(people.office)
    response = client.post(
        reverse("accounts:person_new"),
        {
            "username": "new_liaison",
            "full_name": "新联络员",
            "mobile": "13900000009",
        },
    )
    person = User.objects.get(username="new_liaison")
    assert response.url == reverse("accounts:person", args=[person.pk])
    client.post(
        reverse("accounts:person", args=[person.pk]),
        {
            "form": "membership",
            "unit": tree.village_a2.pk,
            "role": Role.LIAISON,
            "title": "联络员",
        },
    )
    assert Membership.objects.get(user=person).unit == tree.village_a2
    assert AuditEvent.objects.filter(action="membership.add", actor=people.office).exists()


def test_bad_input_names_the_field_and_changes_nothing(people, login):
    client = login(people.office)
    count = User.objects.count()
    page = client.post(
        reverse("accounts:person_new"),
        {
            "username": "liaison_a",
            "full_name": "重名",
            "mobile": "",
        },
    ).content.decode()
    assert "用户名「liaison_a」已被使用" in page
    page = client.post(
        reverse("accounts:person_new"),
        {
            "username": "fresh",
            "full_name": "某",
            "mobile": "1380000",
        },
    ).content.decode()
    assert "手机号应为 11 位数字" in page
    assert User.objects.count() == count


def test_a_leader_cannot_be_given_a_unit_outside_the_office(people, tree, login):
    from luoshi.conftest import make_person

    local_office = make_person("b_office", tree.town_b, Role.OFFICE)
    client = login(local_office)
    # 甲镇's liaison is outside 乙街道's office: their page answers 404.
    assert client.get(reverse("accounts:person", args=[people.liaison_a.pk])).status_code == 404
    person = make_person("b_person", tree.community_b1, Role.LIAISON)
    client.post(
        reverse("accounts:person", args=[person.pk]),
        {
            "form": "membership",
            "unit": tree.town_a.pk,
            "role": Role.LIAISON,
        },
    )
    assert not Membership.objects.filter(user=person, unit=tree.town_a).exists()


def test_ending_a_membership_keeps_the_row_and_removes_the_view(people, tree, login):
    membership = people.liaison_a1.memberships.get()
    login(people.office).post(reverse("accounts:membership_end", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.active is False
    liaison = login(people.liaison_a1)
    assert liaison.get(reverse("orgs:detail", args=[tree.village_a1.pk])).status_code == 404


def test_people_list_search_and_role_filter(people, login):
    client = login(people.office)
    page = client.get(reverse("accounts:people"), {"role": Role.LIAISON}).content.decode()
    assert "liaison_a1" in page and "head_a" not in page
    page = client.get(reverse("accounts:people"), {"q": "head"}).content.decode()
    assert "head_a" in page and "liaison_b" not in page
