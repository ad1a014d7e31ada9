"""The demo's evaluation schemes in the "3+N" layout and their published history (generated).

Townships: a monthly efficiency review, a quarterly review that sums up the months,
and an annual comprehensive evaluation that sums up the quarters and adds the
annual targets, bonuses, deductions and vetoes. Departments: a quarterly and an
annual scheme. "3+N": three areas every unit of the class shares, plus the N that
follows the unit's own work (here the supervised tasks, 督考合一).
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from luoshi.accounts.models import User
from luoshi.evaluation.actions import do_create_run, do_publish_run
from luoshi.evaluation.adjustments import do_grant_exemption, do_record_adjustment
from luoshi.evaluation.models import Scheme, SchemeNode, SchemeVersion
from luoshi.indicators.models import Indicator
from luoshi.orgs.models import Unit, UnitClass

from .indicators import MONTHS, QUARTERS

BANDS = [
    {"grade": "优秀", "text": "90分以上"},
    {"grade": "良好", "text": "80分以上不满90分"},
    {"grade": "合格", "text": "60分以上不满80分"},
    {"grade": "不合格", "text": "不满60分"},
]
TASKS = "task"
FLOOR = 60.0  # 基础分: the last in class keeps 60 % of an item's points  # the 督考合一 item: scored from supervision, no indicator


def _rollup(scheme_code):
    return ("rollup", scheme_code)


# code, name, period, classes, rules, tree: [(area code, area name, [(item code, name, points, source)])]
SCHEMES = [
    (
        "town-monthly",
        "镇街月度效能考评",
        "month",
        ["township"],
        {"adjustments": False},
        [
            (
                "economy",
                "经济发展",
                [
                    ("industry", "规上工业增加值增速", 10, "m-industry-growth"),
                    ("investment", "固定资产投资完成额", 10, "m-investment"),
                    ("attraction", "招商引资到位资金", 10, "m-investment-in"),
                    ("firms", "新增市场主体", 5, "m-new-firms"),
                    ("starts", "项目开工个数", 5, "m-starts"),
                ],
            ),
            (
                "governance",
                "社会治理",
                [
                    ("hotline", "12345热线按期办结率", 8, "m-hotline"),
                    ("petitions", "信访事项及时受理率", 8, "m-petitions"),
                    ("hazards", "安全隐患整改率", 8, "m-hazards"),
                    ("jobs", "城镇新增就业人数", 6, "m-jobs"),
                ],
            ),
            (
                "environment",
                "生态环境",
                [
                    ("air", "空气质量优良天数比例", 5, "m-air"),
                    ("demolition", "违法建设拆除面积", 5, "m-demolition"),
                    ("waste", "生活垃圾分类准确率", 5, "m-waste"),
                ],
            ),
            ("tasks", "重点任务落实（督考合一）", [("supervision", "督办事项办理", 15, TASKS)]),
        ],
    ),
    (
        "town-quarterly",
        "镇街季度综合考评",
        "quarter",
        ["township"],
        {"adjustments": False, "rank_change": {"per_place": 0.2, "cap": 1.0}},
        [
            ("monthly", "月度效能", [("months", "月度效能考评", 20, _rollup("town-monthly"))]),
            (
                "economy",
                "经济发展",
                [
                    ("gdp", "地区生产总值", 8, "gdp"),
                    ("revenue", "一般公共预算收入", 7, "fiscal-revenue"),
                    ("investment", "固定资产投资", 5, "fixed-investment"),
                    ("industry", "规模以上工业总产值", 5, "industrial-output"),
                    ("retail", "社会消费品零售总额", 3, "q-retail"),
                    ("tax", "税收收入", 4, "q-tax"),
                    ("hightech", "高新技术企业数", 3, "q-hightech"),
                ],
            ),
            (
                "livelihood",
                "社会治理与民生",
                [
                    ("disputes", "矛盾纠纷化解率", 4, "q-disputes"),
                    ("grid", "网格事件办结率", 4, "q-grid"),
                    ("peace", "平安建设群众满意度", 4, "q-safety-satisfaction"),
                    ("elderly", "养老服务覆盖率", 4, "q-elderly"),
                    ("medical", "基本医疗保险参保率", 4, "q-medical"),
                ],
            ),
            (
                "safety",
                "生态与安全",
                [
                    ("incidents", "生产安全事故起数", 5, "safety-incidents"),
                    ("pm25", "PM2.5平均浓度", 5, "q-pm25"),
                    ("water", "地表水考核断面达标率", 5, "q-water"),
                ],
            ),
            ("tasks", "重点任务落实（督考合一）", [("supervision", "督办事项办理", 10, TASKS)]),
        ],
    ),
    (
        "town-annual",
        "镇街年度综合考评",
        "year",
        ["township"],
        {
            "adjustments": True,
            "bonus_total_cap": 5.0,
            "bonus_category_cap": 3.0,
            "deduction_category_cap": 5.0,
            "escalation": [1.0, 2.0],
            "quotas": [
                {
                    "grade": "优秀",
                    "share": 0.2,
                    "demote_to": "良好",
                    "rounding": "floor",
                    "ties": "exclude",
                }
            ],
        },
        [
            (
                "quarters",
                "季度考评",
                [("quarterly", "季度综合考评", 60, _rollup("town-quarterly"))],
            ),
            (
                "targets",
                "年度目标",
                [
                    ("gdp-growth", "地区生产总值增速", 5, "y-gdp-growth"),
                    ("revenue-growth", "一般公共预算收入增速", 5, "y-revenue-growth"),
                    ("key-projects", "重点项目年度投资完成率", 5, "y-key-projects"),
                    ("signed", "招商引资签约项目数", 4, "y-signed"),
                    ("ecology", "生态环境质量综合指数", 4, "y-ecology"),
                    ("security", "群众安全感", 4, "y-security"),
                    ("integrity", "党风廉政建设考核得分", 4, "y-integrity"),
                ],
            ),
            (
                "people",
                "群众评价",
                [
                    ("satisfaction", "群众满意度测评得分", 5, "y-satisfaction"),
                    ("livelihood", "民生实事完成率", 4, "y-livelihood"),
                ],
            ),
        ],
    ),
    (
        "dept-quarterly",
        "部门季度考评",
        "quarter",
        ["department"],
        {"adjustments": False},
        [
            (
                "duty",
                "履职尽责",
                [
                    ("budget", "预算执行率", 8, "dq-budget"),
                    ("audit", "审计整改完成率", 8, "dq-audit"),
                    ("timeliness", "公文运转及时率", 8, "dq-timeliness"),
                    ("information", "政务信息采用数", 8, "dq-information"),
                ],
            ),
            (
                "public",
                "服务群众",
                [
                    ("service", "政务服务好差评满意率", 8, "dq-service"),
                    ("disclosure", "依申请公开按期答复率", 8, "dq-disclosure"),
                    ("proposals", "建议提案按期办结率", 8, "dq-proposals"),
                    ("tickets", "热线工单群众满意率", 8, "dq-tickets"),
                ],
            ),
            (
                "law",
                "依法行政与营商环境",
                [
                    ("review", "行政复议纠错率", 8, "dq-review"),
                    ("business", "营商环境投诉办结率", 8, "dq-business"),
                ],
            ),
            ("tasks", "重点任务落实（督考合一）", [("supervision", "督办事项办理", 20, TASKS)]),
        ],
    ),
    (
        "dept-annual",
        "部门年度综合考评",
        "year",
        ["department"],
        {
            "adjustments": True,
            "bonus_total_cap": 3.0,
            "deduction_category_cap": 5.0,
            "quotas": [{"grade": "优秀", "share": 0.1, "demote_to": "良好"}],
        },
        [
            (
                "quarters",
                "季度考评",
                [("quarterly", "部门季度考评", 60, _rollup("dept-quarterly"))],
            ),
            (
                "annual",
                "年度考核",
                [
                    ("key-work", "年度重点工作完成率", 5, "dy-key-work"),
                    ("clients", "服务对象满意度", 5, "dy-clients"),
                    ("party", "机关党建考核得分", 5, "dy-party"),
                    ("law", "法治建设考核得分", 5, "dy-law"),
                    ("lawsuits", "行政诉讼败诉案件数", 5, "dy-lawsuits"),
                    ("performance", "财政资金绩效评价得分", 5, "dy-performance"),
                    ("data", "数据共享目录完成率", 5, "dy-data"),
                    ("openness", "政务公开考评得分", 5, "dy-openness"),
                ],
            ),
        ],
    ),
]

# What is published, oldest first (roll-ups need their parts published before them).
PUBLISHED = [
    ("town-monthly", MONTHS[:-1]),  # to 2026-09; October's data is still coming in
    ("town-quarterly", QUARTERS[:-1]),  # to 2026-Q2; the office runs 2026-Q3 in the demo
    ("dept-quarterly", QUARTERS[:-1]),
    ("town-annual", ["2025"]),
    ("dept-annual", ["2025"]),
]


def _build_scheme(code, name, period, class_codes, rules, tree, root) -> SchemeVersion:
    scheme = Scheme.objects.create(
        code=code, name=name, period_kind=period, owner=root, total_points=Decimal(100)
    )
    # The high-tech zone is a class of one: min-max within it would have nothing to compare.
    scheme.classes.set(UnitClass.objects.filter(code__in=class_codes))
    version = SchemeVersion.objects.create(scheme=scheme, number=1, bands=BANDS, rules=rules)
    indicators = {i.code: i for i in Indicator.objects.all()}
    order = 0
    for area_code, area_name, items in tree:
        area = SchemeNode.objects.create(
            version=version,
            code=area_code,
            name=area_name,
            kind="area",
            points=sum(points for _c, _n, points, _s in items),
            order=order,
        )
        for item_code, item_name, points, source in items:
            order += 1
            node = SchemeNode(
                version=version,
                parent=area,
                code=item_code,
                name=item_name,
                points=points,
                order=order,
            )
            if source == TASKS:
                node.kind = "task"
            elif isinstance(source, tuple):
                node.kind, node.params = "rollup", {"scheme": source[1]}
            else:
                node.kind, node.indicator = "quantitative", indicators[source]
                node.params = {"floor": FLOOR}
            node.save()
    return version


def _demo_adjustments(office):
    """Bonuses, deductions and vetoes of 2025 and 2026, one exempted (容错免责)."""
    towns = list(Unit.objects.filter(code__startswith="SL-", unit_class__code="township"))
    depts = list(Unit.objects.filter(code__startswith="SL-D").order_by("path"))
    t = {u.code: u for u in towns}

    def add(unit, kind, category, day, reason, points=None, **kw):
        return do_record_adjustment(
            unit=unit,
            kind=kind,
            category=category,
            happened_on=day,
            reason=reason,
            points=points,
            actor=office,
            **kw,
        )

    add(t["SL-T01"], "bonus", "表彰奖励", date(2025, 6, 12), "获评市级乡村振兴示范镇", "1",
        achievement="乡村振兴示范镇", level=2)  # fmt: skip
    add(t["SL-T01"], "bonus", "表彰奖励", date(2025, 11, 3), "获评省级乡村振兴示范镇", "2",
        achievement="乡村振兴示范镇", level=3)  # fmt: skip
    add(t["SL-S02"], "bonus", "改革创新", date(2025, 9, 20), "基层治理经验被省委改革办推广", "2",
        level=3)  # fmt: skip
    add(t["SL-T04"], "bonus", "招商引资", date(2025, 12, 5), "引进亿元以上产业项目2个", "3")
    add(t["SL-T06"], "deduction", "安全生产", date(2025, 4, 18), "发生一般生产安全事故1起", "2")
    add(t["SL-T06"], "deduction", "安全生产", date(2025, 10, 9), "再次发生一般生产安全事故", "2")
    add(t["SL-T10"], "veto_cap", "信访稳定", date(2025, 8, 2), "发生进京非访事件，年度等次不得评为优秀",
        cap_grade="良好")  # fmt: skip
    flooded = add(t["SL-T08"], "deduction", "重点任务", date(2025, 7, 22),
                  "防汛应急工程未按期完工", "3")  # fmt: skip
    do_grant_exemption(
        flooded,
        reason="因特大暴雨导致工期延误，已及时报告并整改完成，符合容错免责情形（区容错免责委员会决定）",
        actor=office,
    )
    add(depts[10], "deduction", "作风建设", date(2025, 5, 16), "被区纪委通报作风问题", "2")
    add(
        depts[24], "bonus", "表彰奖励", date(2025, 11, 28), "获评省级营商环境创新案例", "2", level=3
    )
    add(t["SL-T02"], "bonus", "招商引资", date(2026, 3, 15), "签约落地亿元以上项目", "2")
    add(t["SL-S03"], "deduction", "生态环保", date(2026, 5, 8), "中央环保督察交办件整改滞后", "2")


def build_demo_evaluation() -> int:
    if Scheme.objects.filter(code="town-quarterly").exists():
        return 0
    office = User.objects.get(username="office")
    root = Unit.objects.get(code="SL")
    published = 0
    with transaction.atomic():
        versions = {spec[0]: _build_scheme(*spec, root) for spec in SCHEMES}
        _demo_adjustments(office)
        for code, periods in PUBLISHED:
            for period in periods:
                do_publish_run(do_create_run(versions[code], period, actor=office), actor=office)
                published += 1
    return published
