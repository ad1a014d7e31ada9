"""Finding 2: ratings count citizens, not cookies.

The probe stuffed five bad ratings from fresh cookie jars (each opening a fix and notifying the
unit), and behind nginx one script locked every citizen out for an hour, because the address
limit read nginx's address and counted across all rating points."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from luoshi.incentives.models import Rating, RatingFix
from luoshi.incentives.ratings import (
    challenge_image,
    do_compute_satisfaction,
    do_create_point,
    do_review_rating,
    satisfaction,
)
from luoshi.lib.errors import NotAllowed
from luoshi.lib.periods import Period

pytestmark = pytest.mark.django_db
CODE = "2345"


@pytest.fixture(autouse=True)
def _readable_pictures(monkeypatch):
    monkeypatch.setattr("luoshi.incentives.ratings.new_challenge", lambda: CODE)
    monkeypatch.setattr("luoshi.incentives.ratings.MIN_SECONDS", 0)


@pytest.fixture
def point(people, tree):
    return do_create_point(unit=tree.town_a, name="便民服务中心", actor=people.office)


def fresh_jar_rates(point, level=1, comment="", **meta):
    """A new browser (no cookies) opens the form and rates, as the probe's script did."""
    browser = Client()
    url = reverse("incentives:rate", args=[point.token])
    token = browser.get(url, **meta).context["token"]
    data = {"level": str(level), "comment": comment, "token": token, "answer": CODE}
    return browser.post(url, data, **meta).content.decode()


def test_fresh_cookie_jars_no_longer_stuff_the_score(point):
    for _ in range(5):
        fresh_jar_rates(point, level=1, REMOTE_ADDR="203.0.113.7")
    assert Rating.objects.count() == 5
    held = Rating.objects.filter(state="held")
    assert held.count() == 2 and all("burst-address" in r.hold_reasons for r in held)
    assert RatingFix.objects.count() == 3  # held ratings open no fix


def test_each_point_and_address_has_its_own_limit_behind_nginx(people, tree, point, settings):
    settings.PROXIES, settings.RATING_RATE = 1, "5/h"
    other = do_create_point(unit=tree.town_b, name="便民服务中心", actor=people.office)
    script = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.66"}
    answers = [fresh_jar_rates(point, level=1, **script) for _ in range(7)]
    assert sum("太多" in a for a in answers) == 2  # 5 counted at this point, then refused
    # A citizen behind the same nginx (another real address) rates at once, and so does the
    # script's own address at another point: nobody is locked out of anything else.
    citizen = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.10"}
    assert "谢谢" in fresh_jar_rates(point, level=5, **citizen)
    assert "谢谢" in fresh_jar_rates(other, level=5, **script)


def test_forged_forwarded_for_without_a_proxy_is_one_address(point, settings):
    settings.PROXIES, settings.RATING_RATE = 0, "3/h"
    answers = [
        fresh_jar_rates(point, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"10.0.0.{k}")
        for k in range(5)
    ]
    assert sum("谢谢" in a for a in answers) == 3


def test_held_ratings_count_only_when_the_office_accepts_them(people, tree, point):
    for k in range(6):
        fresh_jar_rates(point, level=1 if k >= 3 else 5, REMOTE_ADDR="203.0.113.7")
    period = Period.parse(Rating.objects.first().period)
    assert satisfaction(tree.town_a, period) == 100  # the three held bad ones do not count
    held = list(Rating.objects.filter(state="held").order_by("pk"))
    with pytest.raises(NotAllowed):
        do_review_rating(held[0], accept=True, actor=people.liaison_a)
    do_review_rating(held[0], accept=True, actor=people.office)  # a real citizen: it counts
    do_review_rating(held[1], accept=False, actor=people.office)
    assert RatingFix.objects.filter(rating=held[0]).exists()
    assert not RatingFix.objects.filter(rating=held[1]).exists()
    assert satisfaction(tree.town_a, period) == 75
    do_compute_satisfaction(str(period))
    page = Client()
    page.force_login(people.office)
    html = page.get(reverse("incentives:ratings")).content.decode()
    assert "待审核" in html and "几分钟内" in html  # the third waits, with its reason


def test_a_surge_at_a_point_and_repeated_words_are_held(point):
    for k in range(10):
        fresh_jar_rates(point, level=5, REMOTE_ADDR=f"198.51.100.{k}")
    assert Rating.objects.filter(state="counted").count() == 10
    fresh_jar_rates(point, level=5, REMOTE_ADDR="198.51.100.200")
    assert "burst-point" in Rating.objects.latest("pk").hold_reasons
    fresh_jar_rates(point, level=1, comment="服务态度极差，强烈投诉", REMOTE_ADDR="192.0.2.1")
    fresh_jar_rates(point, level=1, comment="服务态度极差，强烈投诉", REMOTE_ADDR="192.0.2.2")
    assert "same-comment" in Rating.objects.latest("pk").hold_reasons


def test_sms_codes_make_it_one_rating_per_mobile(people, tree, settings, monkeypatch):
    settings.SMS_GATEWAY_URL = "http://sms.example.invalid/send"
    sent = []
    monkeypatch.setattr(
        "luoshi.notify.channels.send_sms", lambda mobile, subject, body: sent.append(body)
    )
    point = do_create_point(unit=tree.town_a, name="政务大厅", verification="sms",
                            actor=people.office)  # fmt: skip
    url = reverse("incentives:rate", args=[point.token])

    def jar(mobile, code=None):
        browser = Client()
        token = browser.get(url).context["token"]
        browser.post(url, {"do": "code", "mobile": mobile, "token": token})
        code = code or re.search(r"\d{6}", sent[-1]).group(0)
        return browser.post(
            url, {"level": "1", "token": token, "mobile": mobile, "code": code}
        ).content.decode()

    assert "谢谢" in jar("13812345678")
    monkeypatch.setattr("luoshi.incentives.ratings.SMS_PER_MOBILE.rate", "9/m")  # a minute later
    assert "本月已经评价" in jar("138 1234 5678")  # a fresh cookie jar, the same citizen
    assert "短信验证码" in jar("13912345678", code="000000")
    assert Rating.objects.count() == 1


def test_the_picture_code_is_drawn_here():
    assert challenge_image("2345").startswith(b"\x89PNG")
