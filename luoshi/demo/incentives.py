"""The demo's incentives (generated): highlight work declared, accepted and scored, with an
annual appraisal scheme to run; award criteria with their candidates and one confirmed
award; an exemption application waiting and a refused one kept as a precedent; citizen
rating points with ratings, some bad with their fixes, and the satisfaction indicator."""

import random
import time
from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.utils import timezone

from luoshi.accounts.models import User
from luoshi.evaluation.models import Adjustment, Scheme, SchemeNode, SchemeVersion
from luoshi.incentives.actions import (
    do_apply_for_exemption,
    do_decide_exemption,
    do_review_precedent,
)
from luoshi.incentives.awards import candidates, do_confirm_award, do_declare_criterion
from luoshi.incentives.highlights import (
    do_declare_highlight,
    do_review_highlight,
    do_score_highlight,
)
from luoshi.incentives.models import AwardCriterion
from luoshi.incentives.ratings import do_compute_satisfaction, do_create_point, do_rate
from luoshi.lib.periods import Period
from luoshi.orgs.models import Unit, UnitClass

HIGHLIGHTS = [
    ("全域土地综合整治试点", "全省前列"),
    ("“党建+网格”基层治理", "全市第一"),
    ("农村人居环境整治提升", "全市前三"),
    ("特色产业园区招商", "全市第一"),
    ("智慧社区建设", "全省示范"),
    ("河湖长制标准化建设", "全市前列"),
]
COMMENTS = {
    5: "办事很快，态度很好",
    4: "总体满意",
    3: "还可以",
    2: "排队时间太长",
    1: "窗口人员不在岗，电话1000000000x",
}


DEMO_CODE = "2345"


def _aged_token(point, device: str) -> str:
    """A form token as if the page had been open a minute and its picture code read (generated
    ratings only)."""
    from luoshi.incentives.ratings import _SALT, _hash

    signer = signing.TimestampSigner(salt=_SALT)
    code = _hash(f"captcha:{DEMO_CODE}")
    value = f"{point.token}:{_hash(device)}:{code}:{signing.b62_encode(int(time.time()) - 60)}"
    return f"{value}:{signer.signature(value)}"


def build_demo_incentives() -> int:
    if AwardCriterion.objects.exists():
        return 0
    rng = random.Random(8)
    office = User.objects.get(username="office")
    today = timezone.localdate()
    root = Unit.objects.get(code="SL")
    towns = list(
        Unit.objects.filter(code__startswith="SL-T", unit_class__code="township").order_by("path")
    )
    with transaction.atomic():
        # 述亮点: six towns declare, the office accepts, reviewers and leaders score.
        reviewers = list(
            User.objects.filter(username__in=["pingyi", "shuji", "quzhang", "fqz1", "fqz2", "fqz3"])
        )
        for town, (title, target) in zip(towns, HIGHLIGHTS, strict=False):
            liaison = User.objects.get(username=f"{town.code.removeprefix('SL-').lower()}.liaison")
            h = do_declare_highlight(
                unit=town, year=today.year, title=title, target=target,
                milestones=f"{today.year}-03 完成方案\n{today.year}-09 完成主体工作", actor=liaison,
            )  # fmt: skip
            h = do_review_highlight(h, accept=True, actor=office)
            for reviewer in reviewers:
                do_score_highlight(h, score=rng.randint(70, 98), actor=reviewer)
        scheme = Scheme.objects.create(
            code="town-highlights", name="镇街年度亮点工作评议", period_kind="year", owner=root
        )
        scheme.classes.set(UnitClass.objects.filter(code="township"))
        version = SchemeVersion.objects.create(
            scheme=scheme,
            number=1,
            bands=[{"grade": "好", "text": "80分以上"}, {"grade": "一般", "text": "不满80分"}],
        )
        SchemeNode.objects.create(
            version=version, code="highlights", name="述亮点", kind="appraisal", points=100
        )

        # 骏马奖 / 蜗牛奖 from declared criteria; the first snail candidate confirmed.
        snail = do_declare_criterion(
            name="项目建设蜗牛奖",
            kind="snail",
            rule="project_delay",
            threshold=30,
            points="2",
            actor=office,
        )
        do_declare_criterion(
            name="招商引资骏马奖",
            kind="horse",
            rule="projects_landed",
            threshold=2,
            points="2",
            actor=office,
        )
        do_declare_criterion(
            name="争先进位骏马奖",
            kind="horse",
            rule="rank_gain",
            threshold=3,
            points="1",
            actor=office,
        )
        quarter = Period.of("quarter", today)
        found = candidates(snail, quarter, root)
        if found:
            do_confirm_award(
                snail,
                found[0].unit,
                str(quarter),
                reasons="重点项目节点严重滞后，经核实属实",
                actor=office,
                within=root,
            )

        # 容错免责: one application waiting, one refused and kept as a precedent.
        deductions = list(
            Adjustment.objects.filter(kind="deduction", exemption__isnull=True).order_by("pk")
        )
        for k, deduction in enumerate(deductions[:2]):
            unit = deduction.unit
            applicant = User.objects.get(
                username=f"{unit.code.removeprefix('SL-').lower()}.liaison"
            )
            application = do_apply_for_exemption(
                deduction,
                facts="事故发生在汛期抢险过程中，现场作业符合方案，事后第一时间报告并完成整改，相关人员未谋取私利。",
                evidence="抢险方案、事故报告、整改报告",
                actor=applicant,
            )
            if k == 1:
                decided = do_decide_exemption(
                    application, approve=False, reason="未履行施工方案报批程序，不符合容错情形",
                    answers={"public_good": True, "followed_procedure": False, "no_personal_gain": True,
                             "reported_and_remedied": True},
                    actor=office,
                )  # fmt: skip
                # The office read the redacted draft and released it to everyone.
                do_review_precedent(decided, text=decided.precedent, public=True, actor=office)

        # 群众评判: four service centres, a month of ratings at their times (one every two days
        # or so), bad ones with their fixes; then a burst of four from one address within
        # minutes, whose last one the office finds held for review.
        now = timezone.now()
        for town in towns[:4]:
            point = do_create_point(unit=town, name="便民服务中心", actor=office)
            for n in range(12):
                level = rng.choices([5, 4, 3, 2, 1], weights=[5, 4, 2, 1, 1])[0]
                device = f"demo-{point.pk}-{n}"
                at = now - timedelta(hours=(12 - n) * 40 + rng.randrange(30))
                do_rate(
                    point, level=level, comment=COMMENTS[level], device=device, answer=DEMO_CODE,
                    address=f"10.{point.pk}.{n // 5}.{n}", token=_aged_token(point, device), at=at,
                )  # fmt: skip
        for n in range(4):
            device = f"demo-burst-{n}"
            do_rate(
                point, level=1, comment="", device=device, answer=DEMO_CODE, address="10.99.0.1",
                token=_aged_token(point, device), at=now - timedelta(minutes=8 - 2 * n),
            )  # fmt: skip
        from luoshi.incentives.models import Rating

        for month in sorted(set(Rating.objects.values_list("period", flat=True))):
            do_compute_satisfaction(month, actor=office)
    return len(HIGHLIGHTS)
