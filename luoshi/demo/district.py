"""Build the deterministic demo district 示例区 through the real actions.

Everything is keyed by code or user name and created only when missing, so a
second run finds the district complete and changes nothing.
"""

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from luoshi.accounts.actions import do_add_membership, do_create_user
from luoshi.accounts.models import Membership, Role, User
from luoshi.orgs.actions import do_create_unit, do_set_oversight
from luoshi.orgs.models import LeaderOversight, Unit, UnitClass

from . import names

DEMO_PASSWORD = "luoshi-demo-2026"
ROOT_CODE = "SL"
VILLAGES_TOTAL = 272
COMMUNITIES_TOTAL = 48


@dataclass
class DemoLogin:
    username: str
    who: str


@dataclass
class DemoResult:
    created_units: int = 0
    created_users: int = 0
    logins: list[DemoLogin] = field(default_factory=list)


class _Builder:
    def __init__(self):
        self.rng = random.Random(2026)  # fixed seed: the same district every time
        self.result = DemoResult()
        self.classes = {c.code: c for c in UnitClass.objects.all()}
        self.units = {u.code: u for u in Unit.objects.filter(code__startswith=ROOT_CODE)}
        # Every demo account has a mobile number starting 100, a prefix no carrier uses.
        self.users = {u.username: u for u in User.objects.filter(mobile__startswith="100")}
        self.people_seen = 0
        self.password_hash = None
        self.used_names: set[str] = set()
        self.used_places: set[str] = set()

    def unit(self, code, name, class_code, parent=None, order=0) -> Unit:
        unit = self.units.get(code)
        if unit is None:
            unit = do_create_unit(
                code=code,
                name=name,
                unit_class=self.classes[class_code],
                parent=parent,
                order=order,
                is_demo=True,
                actor=None,
            )
            self.units[code] = unit
            self.result.created_units += 1
        return unit

    def person_name(self) -> str:
        while True:
            name = self.rng.choice(names.SURNAMES) + "".join(
                self.rng.choice(names.GIVEN) for _ in range(self.rng.choice((1, 2)))
            )
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def person(self, username: str, unit: Unit, role: str, title: str = "", sees_all=False) -> User:
        # Drawn even when the user exists, so every run draws the same sequence.
        full_name = self.person_name()
        self.people_seen += 1
        mobile = f"100{self.people_seen:08d}"
        user = self.users.get(username)
        if user is None:
            if self.password_hash is None:
                self.password_hash = make_password(DEMO_PASSWORD)
            user = do_create_user(
                username=username,
                full_name=full_name,
                mobile=mobile,
                password_hash=self.password_hash,
                must_change_password=False,
                actor=None,
            )
            self.users[username] = user
            self.result.created_users += 1
        if not Membership.objects.filter(user=user, unit=unit, role=role).exists():
            do_add_membership(
                user=user, unit=unit, role=role, title=title, sees_all=sees_all, actor=None
            )
        return user

    def place_name(self, suffix: str) -> str:
        while True:
            name = self.rng.choice(names.PLACE_FIRST) + self.rng.choice(names.PLACE_SECOND) + suffix
            if name not in self.used_places:
                self.used_places.add(name)
                return name

    def staff(self, unit: Unit, username_base: str, head_title: str):
        self.person(f"{username_base}.head", unit, Role.UNIT_HEAD, head_title)
        self.person(f"{username_base}.liaison", unit, Role.LIAISON, "联络员")

    def build(self) -> DemoResult:
        root = self.unit(ROOT_CODE, "示例区", "district")
        self.person("office", root, Role.OFFICE, "区委督查室主任")
        self.person("office2", root, Role.OFFICE, "区考评办工作人员")
        self.person("shuji", root, Role.LEADER, "区委书记", sees_all=True)
        self.person("quzhang", root, Role.LEADER, "区长", sees_all=True)
        self.person("pingyi", root, Role.REVIEWER, "评议人")
        self.person("guancha", root, Role.OBSERVER, "区人大常委会观察员")

        townships = []
        for i, name in enumerate(names.STREETS, start=1):
            townships.append(
                (self.unit(f"{ROOT_CODE}-S{i:02d}", name, "township", root, i), "社区")
            )
        for i, name in enumerate(names.TOWNS, start=1):
            townships.append(
                (self.unit(f"{ROOT_CODE}-T{i:02d}", name, "township", root, 20 + i), "村")
            )
        park = self.unit(f"{ROOT_CODE}-P01", names.PARK, "park", root, 40)
        departments = [
            self.unit(f"{ROOT_CODE}-D{i:02d}", name, "department", root, 100 + i)
            for i, name in enumerate(names.DEPARTMENTS, start=1)
        ]

        streets = [t for t, kind in townships if kind == "社区"]
        towns = [t for t, kind in townships if kind == "村"]
        self._villages(streets, COMMUNITIES_TOTAL, "C", "社区", "community")
        self._villages(towns, VILLAGES_TOTAL, "V", "村", "village")

        for unit in [t for t, _k in townships] + [park]:
            self.staff(unit, unit.code.removeprefix(f"{ROOT_CODE}-").lower(), "党(工)委书记")
        for unit in departments:
            self.staff(unit, unit.code.removeprefix(f"{ROOT_CODE}-").lower(), "主要负责人")
        for unit in Unit.objects.filter(code__startswith=ROOT_CODE, depth=3).order_by("path"):
            title = "社区党委书记" if unit.unit_class.code == "community" else "村党组织书记"
            self.staff(
                unit, unit.code.removeprefix(f"{ROOT_CODE}-").replace("-", "").lower(), title
            )

        stats = self.units[f"{ROOT_CODE}-D{names.DEPARTMENTS.index('区统计局') + 1:02d}"]
        self.person("tongji.data", stats, Role.DATA_PROVIDER, "统计数据报送")
        self._deputies(root)
        self.result.logins = self._logins()
        return self.result

    def _villages(self, parents, total, letter, suffix, class_code):
        per, extra = divmod(total, len(parents))
        for i, parent in enumerate(parents):
            for j in range(1, per + (1 if i < extra else 0) + 1):
                code = f"{parent.code}-{letter}{j:02d}"
                self.unit(code, self.place_name(suffix), class_code, parent, j)

    def _deputies(self, root):
        by_name = {u.name: u for u in self.units.values()}
        for i, (title, area, departments, townships) in enumerate(names.DEPUTIES, start=1):
            leader = self.person(f"fqz{i}", root, Role.LEADER, title)
            for unit_name in departments + townships:
                unit = by_name[unit_name]
                if not LeaderOversight.objects.filter(leader=leader, unit=unit).exists():
                    do_set_oversight(leader=leader, unit=unit, area=area, actor=None)

    def _logins(self):
        def who(username):
            m = (
                Membership.objects.filter(user__username=username)
                .select_related("unit", "user")
                .first()
            )
            return f"{m.user.full_name}，{m.unit.name}{m.get_role_display()}（{m.title}）"

        picks = [
            "office",
            "shuji",
            "fqz2",
            "t01.head",
            "t01.liaison",
            "t01v01.liaison",
            "d25.liaison",
            "tongji.data",
            "pingyi",
            "guancha",
        ]
        return [DemoLogin(u, who(u)) for u in picks]


def build_demo_district() -> DemoResult:
    with transaction.atomic():
        return _Builder().build()
