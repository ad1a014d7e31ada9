"""A five-township quarterly scheme shared by the run and rule-layer tests.

By hand: revenue min-max 100,75,50,25,0 (×70); accidents (lower better) 0,100,50,75,
missing (×30). Totals: A 70, B 82.5, T0 50, T1 40, T2 0 (accidents missing → revenue alone).
"""

import pytest

from luoshi.evaluation.models import Scheme, SchemeNode, SchemeVersion
from luoshi.indicators.actions import do_create_indicator, do_record_values
from luoshi.orgs.actions import do_create_unit

BANDS = [
    {"grade": "优秀", "text": "90分以上"},
    {"grade": "良好", "text": "75分以上不满90分"},
    {"grade": "一般", "text": "不满75分"},
]


@pytest.fixture
def scheme(people, tree, classes):
    for i in range(3):  # five townships in all
        do_create_unit(
            code=f"T{i}",
            name=f"丙{i}镇",
            unit_class=classes["township"],
            parent=tree.root,
            actor=None,
        )
    revenue = do_create_indicator(
        code="revenue",
        name="财政收入",
        frequency="quarter",
        classes=[classes["township"]],
        provider=tree.finance,
        actor=people.office,
    )
    accidents = do_create_indicator(
        code="accidents",
        name="安全事故",
        direction=-1,
        frequency="quarter",
        classes=[classes["township"]],
        provider=tree.finance,
        actor=people.office,
    )
    units = {u.code: u for u in tree.root.children.filter(unit_class=classes["township"])}
    do_record_values(
        revenue,
        "2026-Q3",
        [
            (units[c], v)
            for c, v in [("A", "100"), ("B", "80"), ("T0", "60"), ("T1", "40"), ("T2", "20")]
        ],
        source="form",
        actor=people.office,
    )
    do_record_values(
        accidents,
        "2026-Q3",
        [(units[c], v) for c, v in [("A", "4"), ("B", "0"), ("T0", "2"), ("T1", "1")]],
        source="form",
        actor=people.office,
    )
    s = Scheme.objects.create(
        code="q-town", name="镇街季度考核", period_kind="quarter", owner=tree.root
    )
    s.classes.set([classes["township"]])
    version = SchemeVersion.objects.create(scheme=s, number=1, bands=BANDS)
    economy = SchemeNode.objects.create(
        version=version, code="eco", name="经济发展", kind="area", points=70
    )
    SchemeNode.objects.create(
        version=version,
        parent=economy,
        code="rev",
        name="财政收入",
        kind="quantitative",
        points=70,
        indicator=revenue,
    )
    SchemeNode.objects.create(
        version=version,
        code="safe",
        name="安全生产",
        kind="quantitative",
        points=30,
        indicator=accidents,
    )
    return version
