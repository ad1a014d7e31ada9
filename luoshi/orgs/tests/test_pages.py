import pytest
from django.urls import reverse

from luoshi.orgs.models import LeaderOversight, Unit

pytestmark = pytest.mark.django_db


def test_office_creates_edits_and_retires_from_the_pages(people, tree, classes, login):
    client = login(people.office)
    response = client.post(
        reverse("orgs:new_child", args=[tree.town_a.pk]),
        {
            "code": "A3",
            "name": "甲三村",
            "unit_class": classes["village"].pk,
            "order": 3,
        },
    )
    unit = Unit.objects.get(code="A3")
    assert response.url == reverse("orgs:detail", args=[unit.pk]) and unit.parent == tree.town_a
    client.post(
        reverse("orgs:edit", args=[unit.pk]),
        {
            "code": "A3",
            "name": "甲三社区",
            "unit_class": classes["community"].pk,
            "order": 3,
            "parent": "B",
        },
    )
    unit.refresh_from_db()
    assert (unit.name, unit.parent.code, unit.unit_class.code) == ("甲三社区", "B", "community")
    client.post(reverse("orgs:retire", args=[unit.pk]))
    unit.refresh_from_db()
    assert unit.status == Unit.Status.RETIRED


def test_edit_with_a_parent_code_not_visible_is_refused(people, tree, classes, login):
    client = login(people.office)
    page = client.post(
        reverse("orgs:edit", args=[tree.village_a1.pk]),
        {
            "code": "A1",
            "name": "甲一村",
            "unit_class": classes["village"].pk,
            "order": 0,
            "parent": "NOPE",
        },
    ).content.decode()
    assert "NOPE" in page and "errorlist" in page
    assert Unit.objects.get(code="A1").parent == tree.town_a


def test_search_finds_by_name_within_scope(people, login):
    page = login(people.liaison_a).get(reverse("orgs:tree"), {"q": "村"}).content.decode()
    assert "甲一村" in page and "乙一社区" not in page


def test_office_records_oversight(people, tree, login):
    login(people.office).post(
        reverse("orgs:oversight_add", args=[tree.commerce.pk]),
        {
            "leader": "deputy",
            "area": "商务",
        },
    )
    assert LeaderOversight.objects.filter(leader=people.deputy, unit=tree.commerce).exists()
    deputy = login(people.deputy)
    assert deputy.get(reverse("orgs:detail", args=[tree.commerce.pk])).status_code == 200


def test_oversight_refuses_a_non_leader(people, tree, login):
    login(people.office).post(
        reverse("orgs:oversight_add", args=[tree.commerce.pk]), {"leader": "liaison_a"}
    )
    assert not LeaderOversight.objects.filter(unit=tree.commerce).exists()


def test_office_adds_a_unit_class_and_others_cannot(people, login):
    from luoshi.orgs.models import UnitClass

    login(people.liaison_a).post(
        reverse("orgs:classes"), {"code": "school", "name": "学校", "order": 30}
    )
    assert not UnitClass.objects.filter(code="school").exists()
    client = login(people.office)
    client.post(reverse("orgs:classes"), {"code": "school", "name": "学校", "order": 30})
    assert UnitClass.objects.filter(code="school", name="学校").exists()
    page = client.post(
        reverse("orgs:classes"), {"code": "school2", "name": "学校", "order": 30}
    ).content.decode()
    assert "类别「学校」已存在" in page
