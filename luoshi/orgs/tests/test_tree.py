import pytest
from django.db import connection

from luoshi.accounts.models import Role
from luoshi.conftest import make_person
from luoshi.lib.errors import ActionError, NotAllowed
from luoshi.orgs import paths
from luoshi.orgs.actions import do_create_unit, do_merge_unit, do_retire_unit, do_update_unit
from luoshi.orgs.models import Unit

pytestmark = pytest.mark.django_db


def codes(qs):
    return set(qs.values_list("code", flat=True))


def test_subtree_is_the_unit_and_everything_under_it(tree):
    assert codes(Unit.objects.subtree(tree.town_a)) == {"A", "A1", "A2"}
    assert codes(Unit.objects.descendants(tree.root)) == {"A", "A1", "A2", "B", "B1", "D1", "D2"}
    assert [u.code for u in tree.village_a1.ancestors()] == ["R", "A"]


def test_upper_bound_excludes_the_next_sibling():
    assert paths.upper_bound("00000001") == "00000002"
    assert paths.upper_bound("0000000100000009") == "0000000100000010"
    assert "0000000100000009" + "00000042" < paths.upper_bound("0000000100000009")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="plan text is SQLite's")
def test_subtree_query_uses_the_path_index(tree):
    sql, params = Unit.objects.subtree(tree.town_a).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "SEARCH orgs_unit USING" in plan and "(path>? AND path<?)" in plan


def test_moving_a_unit_moves_its_subtree(tree):
    do_update_unit(tree.town_a, parent=tree.town_b, actor=None)
    tree.town_b.refresh_from_db()
    assert codes(Unit.objects.subtree(tree.town_b)) == {"B", "B1", "A", "A1", "A2"}
    village = Unit.objects.get(code="A1")
    assert village.depth == 4
    assert [u.code for u in village.ancestors()] == ["R", "B", "A"]


def test_a_unit_cannot_move_under_itself(tree):
    with pytest.raises(ActionError) as e:
        do_update_unit(tree.town_a, parent=tree.village_a1, actor=None)
    assert e.value.field == "parent"
    assert Unit.objects.get(code="A").parent_id == tree.root.pk


def test_rename_keeps_the_old_name(tree):
    do_update_unit(tree.town_a, name="甲街道", actor=None)
    unit = Unit.objects.get(code="A")
    assert unit.name == "甲街道"
    assert [n.name for n in unit.former_names.all()] == ["甲镇"]


def test_retire_refused_while_units_below_are_active(tree):
    with pytest.raises(ActionError):
        do_retire_unit(tree.town_a, actor=None)
    do_retire_unit(tree.village_a1, actor=None)
    assert Unit.objects.get(code="A1").status == Unit.Status.RETIRED
    # Retired units stay in the tree and keep their place.
    assert codes(Unit.objects.subtree(tree.town_a)) == {"A", "A1", "A2"}
    assert codes(Unit.objects.subtree(tree.town_a).active()) == {"A", "A2"}


def test_merge_keeps_the_unit_and_points_to_its_successor(tree):
    do_merge_unit(tree.village_a2, into=tree.village_a1, actor=None)
    merged = Unit.objects.get(code="A2")
    assert merged.status == Unit.Status.MERGED and merged.merged_into == tree.village_a1
    with pytest.raises(ActionError):
        do_merge_unit(tree.town_a, into=tree.village_a1, actor=None)


def test_duplicate_code_is_refused_and_names_the_field(tree):
    with pytest.raises(ActionError) as e:
        do_create_unit(
            code="A1",
            name="重复",
            unit_class=tree.village_a1.unit_class,
            parent=tree.town_a,
            actor=None,
        )
    assert e.value.field == "code"
    assert "甲一村" in e.value.message


def test_office_of_another_jurisdiction_cannot_touch_the_tree(tree):
    outsider = make_person("outsider", tree.town_b, Role.OFFICE)
    with pytest.raises(NotAllowed):
        do_create_unit(
            code="X",
            name="X村",
            unit_class=tree.village_a1.unit_class,
            parent=tree.town_a,
            actor=outsider,
        )
    with pytest.raises(NotAllowed):
        do_update_unit(tree.town_a, name="改名", actor=outsider)
    assert Unit.objects.get(code="A").name == "甲镇"
