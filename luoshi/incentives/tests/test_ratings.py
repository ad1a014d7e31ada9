"""群众评判: a public form, stuffing refused, a bad rating opens a fix, satisfaction as an indicator."""

import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from luoshi.incentives.models import Rating, RatingFix
from luoshi.incentives.ratings import (
    Refused,
    do_close_fix,
    do_compute_satisfaction,
    do_create_point,
    do_rate,
    form_token,
)
from luoshi.lib.errors import ActionError, NotAllowed

pytestmark = pytest.mark.django_db
CODE = "2345"  # the picture code the tests "read"


@pytest.fixture
def point(people, tree):
    return do_create_point(unit=tree.town_a, name="便民服务中心", actor=people.office)


def aged(token: str, seconds: int = 10) -> str:
    """The same token as if the page had been open ``seconds`` longer."""
    from django.core import signing

    signer = signing.TimestampSigner(salt="luoshi.rating")
    value = signer.unsign(token)
    stamp = signing.b62_encode(int(time.time()) - seconds)
    return f"{value}:{stamp}:{signer.signature(f'{value}:{stamp}')}"


def rate(point, device, address, level=5, comment="", **kwargs):
    return do_rate(
        point, level=level, comment=comment, device=device, address=address,
        token=aged(form_token(point, device, CODE)), answer=CODE, **kwargs,
    )  # fmt: skip


def test_a_citizen_rates_without_logging_in_and_a_second_vote_is_refused(point, monkeypatch):
    monkeypatch.setattr("luoshi.incentives.ratings.MIN_SECONDS", 0)
    monkeypatch.setattr("luoshi.incentives.ratings.new_challenge", lambda: CODE)
    citizen = Client()
    url = reverse("incentives:rate", args=[point.token])
    page = citizen.get(url)
    assert page.status_code == 200 and "便民服务中心" in page.content.decode()
    assert 'src="data:image/png;base64,' in page.content.decode()  # the picture, drawn here
    token = page.context["token"]
    wrong = citizen.post(url, {"level": "5", "comment": "办事很快", "token": token, "answer": "9"})
    assert "图片" in wrong.content.decode() and "办事很快" in wrong.content.decode()
    done = citizen.post(url, {"level": "5", "comment": "办事很快", "token": token, "answer": CODE})
    assert "谢谢" in done.content.decode() and Rating.objects.count() == 1
    again = citizen.post(
        url, {"level": "1", "token": citizen.get(url).context["token"], "answer": CODE}
    )
    assert "本月已经评价" in again.content.decode() and Rating.objects.count() == 1


def test_ballot_stuffing_is_refused(point):
    # A script that posts at once, without reading the form.
    with pytest.raises(Refused):
        do_rate(point, level=5, comment="", device="d1", address="10.0.0.1",
                token=form_token(point, "d1", CODE), answer=CODE)  # fmt: skip
    # A token made for another device, a filled hidden field, a picture code not read.
    with pytest.raises(Refused):
        do_rate(point, level=5, comment="", device="d2", address="10.0.0.1",
                token=aged(form_token(point, "d1", CODE)), answer=CODE)  # fmt: skip
    with pytest.raises(Refused):
        rate(point, "d1", "10.0.0.1", honeypot="x")
    with pytest.raises(ActionError) as wrong:
        do_rate(point, level=5, comment="", device="d1", address="10.0.0.1",
                token=aged(form_token(point, "d1", CODE)), answer="9999")  # fmt: skip
    assert wrong.value.field == "answer"
    with pytest.raises(ActionError):  # a token issued without a picture code
        do_rate(point, level=5, comment="", device="d1", address="10.0.0.1",
                token=aged(form_token(point, "d1")), answer="")  # fmt: skip
    assert Rating.objects.count() == 0


def test_a_bad_rating_opens_a_fix_closed_by_a_call_back(people, tree, point, login):
    rating = rate(point, "d", "1.2.3.4", level=1, comment="等了两个小时，电话13800000000")
    fix = RatingFix.objects.get(rating=rating)
    assert fix.unit == tree.town_a and fix.due_on > timezone.localdate()
    with pytest.raises(NotAllowed):
        do_close_fix(fix, callback="已回访", actor=people.liaison_b)
    page = login(people.liaison_a).get(reverse("incentives:ratings")).content.decode()
    assert "等了两个小时" in page
    do_close_fix(fix, callback="3日电话回访群众，已增开窗口", actor=people.liaison_a)
    fix.refresh_from_db()
    assert fix.state == "done"


def test_satisfaction_rate_enters_as_an_indicator(people, tree, point):
    from luoshi.indicators.models import IndicatorValue

    for k, level in enumerate([5, 4, 4, 2]):
        rate(point, f"x{k}", f"9.9.9.{k}", level=level)
    month = timezone.localdate().strftime("%Y-%m")
    do_compute_satisfaction(month)
    value = IndicatorValue.objects.current().get(
        indicator__code="c-satisfaction", unit=tree.town_a, period=month
    )
    assert value.value == 75  # three of four satisfied or better
