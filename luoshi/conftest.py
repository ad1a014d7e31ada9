"""Shared test fixtures: a small district built through the real actions.

    示例区 (district, root)
    ├── 甲镇 (township)  ── 甲一村, 甲二村 (villages)
    ├── 乙街道 (township) ── 乙一社区 (community)
    ├── 区财政局, 区商务局 (departments)

One person per role; `people.deputy` oversees 甲镇 and 区财政局 only.
"""

import importlib
from types import SimpleNamespace

import pytest

from luoshi.accounts.actions import do_add_membership, do_create_user
from luoshi.accounts.models import Role
from luoshi.orgs.actions import do_create_unit, do_set_oversight
from luoshi.orgs.models import UnitClass

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Argon2 is the production hasher (tested on its own); tests log in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"


@pytest.fixture
def classes(db):
    if not UnitClass.objects.exists():
        # A transactional test's flush empties what the data migration wrote.
        from django.apps import apps

        migration = importlib.import_module("luoshi.orgs.migrations.0002_builtin_classes")
        migration.create_classes(apps, None)
    return {c.code: c for c in UnitClass.objects.all()}


@pytest.fixture
def tree(classes):
    def unit(code, name, cls, parent=None):
        return do_create_unit(
            code=code, name=name, unit_class=classes[cls], parent=parent, actor=None
        )

    root = unit("R", "示例区", "district")
    town_a = unit("A", "甲镇", "township", root)
    town_b = unit("B", "乙街道", "township", root)
    return SimpleNamespace(
        root=root,
        town_a=town_a,
        town_b=town_b,
        village_a1=unit("A1", "甲一村", "village", town_a),
        village_a2=unit("A2", "甲二村", "village", town_a),
        community_b1=unit("B1", "乙一社区", "community", town_b),
        finance=unit("D1", "区财政局", "department", root),
        commerce=unit("D2", "区商务局", "department", root),
    )


def make_person(username, unit=None, role=None, *, sees_all=False, mobile=None):
    user = do_create_user(
        username=username,
        full_name=username,
        mobile=mobile,
        password=PASSWORD,
        must_change_password=False,
        actor=None,
    )
    if unit is not None:
        do_add_membership(user=user, unit=unit, role=role, sees_all=sees_all, actor=None)
    return user


@pytest.fixture
def people(tree):
    deputy = make_person("deputy", tree.root, Role.LEADER)
    do_set_oversight(leader=deputy, unit=tree.town_a, area="农业", actor=None)
    do_set_oversight(leader=deputy, unit=tree.finance, area="财政", actor=None)
    return SimpleNamespace(
        office=make_person("office", tree.root, Role.OFFICE, mobile="13800000001"),
        secretary=make_person("secretary", tree.root, Role.LEADER, sees_all=True),
        deputy=deputy,
        head_a=make_person("head_a", tree.town_a, Role.UNIT_HEAD),
        liaison_a=make_person("liaison_a", tree.town_a, Role.LIAISON),
        liaison_a1=make_person("liaison_a1", tree.village_a1, Role.LIAISON),
        liaison_b=make_person("liaison_b", tree.town_b, Role.LIAISON),
        provider=make_person("provider", tree.finance, Role.DATA_PROVIDER),
        reviewer=make_person("reviewer", tree.root, Role.REVIEWER),
        observer=make_person("observer", tree.town_b, Role.OBSERVER),
        nobody=make_person("nobody"),
    )


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
