"""群众评判: citizens rate a unit or service without logging in; a bad rating opens a fix with
a clock in working days; the monthly satisfaction rate enters the evaluation as an indicator.

Against ballot stuffing, without any outside service (intranets have no internet). The probe
stuffed five bad ratings with fresh cookie jars (each opening a fix) and, behind nginx, locked
every citizen out with one script, because the address limit read nginx's address and counted
across all points. So, in layers:

- a check that a person rates, chosen per point: a picture code drawn by Luoshi itself (the
  `captcha` library, no outside service), or an SMS code to the citizen's mobile through the
  installation's own gateway, which makes it one rating per mobile, point and month; a kiosk
  watched by staff may need neither;
- a signed form token bound to the device, the point and the picture code, at least
  ``MIN_SECONDS`` old (scripts post at once) and at most an hour, and an invisible field;
- at most RATING_RATE ratings per rating point and address (the visitor's address as the
  trusted proxy reports it, `lib.throttle.client_address`), so one network cannot flood one
  point and nobody is locked out of the others;
- a rating from a burst or an unusual pattern (several from one address within minutes, far
  more at a point than its usual rate, the same words as another rating that day) is *held*:
  it counts toward no score and opens no fix until the office accepts it (`do_review_rating`).
"""

import hashlib
import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.accounts.permissions import require_office
from luoshi.audit.chain import record
from luoshi.lib.errors import ActionError
from luoshi.lib.periods import Period
from luoshi.lib.throttle import RateLimit, address_ident
from luoshi.supervision.calendar import load_calendar

from .models import Rating, RatingFix, RatingPoint

MIN_SECONDS, MAX_SECONDS = 3, 3600
FIX_DAYS = 15
_SALT = "luoshi.rating"
CAPTCHA_DIGITS = "23456789"  # no 0/1, which people misread as O/l

# Limits, each behind lib/throttle's RateLimit (settings.RATE_LIMIT_CACHE).
POINT_LIMIT = RateLimit("rating", "RATING_RATE")  # per rating point and address
SMS_PER_MOBILE = RateLimit("rating-sms", "1/m")
SMS_PER_ADDRESS = RateLimit("rating-sms-address", "10/h")
CODE_MINUTES = 10

# What holds a rating for review.
BURST_WINDOW = timedelta(minutes=10)
BURST_FROM_ADDRESS = 3  # this many earlier ratings at the point from one address in the window
POINT_SURGE_MIN = 10  # at least this many in the last hour at one point …
POINT_SURGE_FACTOR = 5  # … and this many times its usual hourly rate over the last 28 days


class Refused(ActionError):
    """A rating turned away (stuffing, a stale form); the message says why in plain words."""


def _hash(text: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{text}".encode()).hexdigest()[:64]


def new_device_id() -> str:
    return secrets.token_urlsafe(16)


def new_challenge() -> str:
    """The digits a picture code shows."""
    return "".join(secrets.choice(CAPTCHA_DIGITS) for _ in range(4))


def challenge_image(answer: str) -> bytes:
    """The picture code as PNG, drawn here (no outside service)."""
    from captcha.image import ImageCaptcha

    return ImageCaptcha(width=200, height=70).generate(answer).getvalue()


def form_token(point: RatingPoint, device: str, answer: str = "") -> str:
    """Signed (point, device, picture code) with the time it was issued."""
    code = _hash(f"captcha:{answer}") if answer else ""
    return signing.TimestampSigner(salt=_SALT).sign(f"{point.token}:{_hash(device)}:{code}")


def _check_token(token: str, point: RatingPoint, device: str, answer: str) -> None:
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        value = signer.unsign(token, max_age=MAX_SECONDS)
    except signing.SignatureExpired:
        raise Refused(_("The form has expired; open the page again.")) from None
    except signing.BadSignature:
        raise Refused(_("The form is not valid; open the page again.")) from None
    bound_point, bound_device, code = (value.split(":") + ["", ""])[:3]
    if bound_point != point.token or bound_device != _hash(device):
        raise Refused(_("The form is not valid; open the page again."))
    if point.verification == RatingPoint.Check.CAPTCHA:
        typed = "".join(ch for ch in (answer or "") if not ch.isspace())
        if not code or code != _hash(f"captcha:{typed}"):
            raise ActionError(_("The code does not match the picture; try the new one."),
                              field="answer")  # fmt: skip
    issued = signing.b62_decode(token.rsplit(":", 2)[-2])
    if timezone.now().timestamp() - issued < MIN_SECONDS:
        raise Refused(_("Too fast: please read the form and submit again."))


def _mobile(text: str) -> str:
    mobile = "".join(ch for ch in (text or "") if ch.isdigit())
    if len(mobile) != 11 or not mobile.startswith("1"):
        raise ActionError(_("A mobile number has 11 digits."), field="mobile")
    return mobile


def _code_key(point: RatingPoint, mobile: str) -> str:
    return f"rating-code:{point.pk}:{_hash(mobile)}"


def do_send_rating_code(point: RatingPoint, *, mobile: str, address: str) -> None:
    """Text a six-digit code to the citizen's mobile (the point checks by SMS)."""
    from luoshi.notify.channels import send_sms

    if point.verification != RatingPoint.Check.SMS or not settings.SMS_GATEWAY_URL:
        raise ActionError(_("This rating point does not send SMS codes."))
    mobile = _mobile(mobile)
    if not SMS_PER_ADDRESS.hit(address_ident(address)) or not SMS_PER_MOBILE.hit(_hash(mobile)):
        raise Refused(_("A code was sent a moment ago; wait a minute and try again."))
    code = f"{secrets.randbelow(10**6):06d}"
    caches[settings.RATE_LIMIT_CACHE].set(
        _code_key(point, mobile), _hash(f"sms:{code}"), CODE_MINUTES * 60
    )
    send_sms(mobile, str(point), _("Your rating code is %(code)s, valid for %(minutes)d minutes.")
             % {"code": code, "minutes": CODE_MINUTES})  # fmt: skip


def _check_sms(point: RatingPoint, mobile: str, code: str) -> str:
    """The mobile the code was sent to (the rating's identity); the code is used up."""
    mobile = _mobile(mobile)
    cache = caches[settings.RATE_LIMIT_CACHE]
    expected = cache.get(_code_key(point, mobile))
    if not expected or expected != _hash(f"sms:{(code or '').strip()}"):
        raise ActionError(_("The SMS code is not right or has expired."), field="code")
    cache.delete(_code_key(point, mobile))
    return mobile


def _hold_reasons(point: RatingPoint, client: str, comment: str, at) -> list[str]:
    """Why this rating looks like stuffing rather than a citizen, if it does."""
    earlier = Rating.objects.filter(point=point, created_at__lte=at).exclude(
        state=Rating.State.REJECTED
    )
    reasons = []
    recent = earlier.filter(created_at__gte=at - BURST_WINDOW)
    if recent.filter(client=client).count() >= BURST_FROM_ADDRESS:
        reasons.append("burst-address")
    last_hour = earlier.filter(created_at__gte=at - timedelta(hours=1)).count()
    if last_hour >= POINT_SURGE_MIN:
        month = earlier.filter(
            created_at__gte=at - timedelta(days=28), created_at__lt=at - timedelta(hours=1)
        ).count()
        usual = month / (28 * 24)
        if last_hour >= POINT_SURGE_FACTOR * max(usual, 1):
            reasons.append("burst-point")
    if (
        len(comment) >= 4
        and earlier.filter(comment=comment, created_at__gte=at - timedelta(days=1)).exists()
    ):
        reasons.append("same-comment")
    return reasons


def _open_fix(rating: Rating, point: RatingPoint) -> None:
    from luoshi.accounts.staff import unit_staff
    from luoshi.notify.actions import do_notify

    fix = RatingFix.objects.create(
        rating=rating,
        unit=point.unit,
        due_on=load_calendar().add_workdays(timezone.localdate(), FIX_DAYS),
    )
    do_notify(
        unit_staff(point.unit),
        kind="rating",
        title=_("A citizen is dissatisfied with %(point)s: fix it by %(due)s")
        % {"point": point, "due": fix.due_on.isoformat()},
        body=rating.comment,
        url="/incentives/ratings/",
        unit=point.unit,
    )


@transaction.atomic
def do_rate(
    point: RatingPoint,
    *,
    level,
    comment: str,
    device: str,
    address: str,
    token: str,
    honeypot: str = "",
    answer: str = "",
    mobile: str = "",
    code: str = "",
    at=None,
) -> Rating:
    """Record one citizen's rating. ``at``: when it was made (the demo's generated history)."""
    if not point.active:
        raise Refused(_("This rating point is closed."))
    if honeypot:
        raise Refused(_("The form is not valid; open the page again."))
    _check_token(token, point, device, answer)
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in Rating.Level.values:
        raise ActionError(_("Choose one of the five levels."), field="level")
    if point.verification == RatingPoint.Check.SMS:
        device = "sms:" + _check_sms(point, mobile, code)  # one rating per mobile, not cookie
    client = _hash(address_ident(address or ""))
    if not POINT_LIMIT.hit(f"{point.pk}:{client}"):
        raise Refused(_("Too many ratings from this network here in an hour; please try later."))
    at = at or timezone.now()
    local = timezone.localtime(at)
    comment = comment.strip()[:1000]
    reasons = _hold_reasons(point, client, comment, at)
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                point=point,
                period=f"{local.year}-{local.month:02d}",
                level=level,
                comment=comment,
                device=_hash(device),
                client=client,
                created_at=at,
                state=Rating.State.HELD if reasons else Rating.State.COUNTED,
                hold_reasons=" ".join(reasons),
            )
    except IntegrityError:
        raise Refused(_("You have already rated this service this month. Thank you.")) from None
    if rating.state == Rating.State.COUNTED and level <= Rating.Level.BAD:
        _open_fix(rating, point)
    record(
        actor=None,
        action="rating.add",
        obj=rating,
        after={"point": point.pk, "level": level, "state": rating.state, "held": reasons},
    )
    return rating


@transaction.atomic
def do_review_rating(rating: Rating, *, accept: bool, actor) -> Rating:
    """The office decides on a held rating: accepted, it counts (and a bad one opens its fix
    now); rejected, it never counts."""
    rating = Rating.objects.select_for_update().select_related("point__unit").get(pk=rating.pk)
    require_office(actor, rating.point.unit)
    if rating.state != Rating.State.HELD:
        raise ActionError(_("This rating is not waiting for review."))
    rating.state = Rating.State.COUNTED if accept else Rating.State.REJECTED
    rating.reviewed_by, rating.reviewed_at = actor, timezone.now()
    rating.save(update_fields=["state", "reviewed_by", "reviewed_at"])
    if accept and rating.level <= Rating.Level.BAD:
        _open_fix(rating, rating.point)
    record(actor=actor, action="rating.review", obj=rating, after={"state": rating.state})
    return rating


@transaction.atomic
def do_close_fix(fix: RatingFix, *, callback: str, actor) -> RatingFix:
    """The unit records the call-back to the citizen and what it fixed."""
    from luoshi.accounts.permissions import require_unit_or_office

    fix = RatingFix.objects.select_for_update().select_related("unit").get(pk=fix.pk)
    require_unit_or_office(actor, fix.unit)
    if fix.state == RatingFix.State.DONE:
        raise ActionError(_("This has been fixed already."))
    if len(callback.strip()) < 5:
        raise ActionError(
            _("Record the call-back: when, to whom, and what was fixed."), field="callback"
        )
    fix.state, fix.callback, fix.done_on, fix.done_by = (
        RatingFix.State.DONE,
        callback.strip(),
        timezone.localdate(),
        actor,
    )
    fix.save()
    record(actor=actor, action="rating.fix", obj=fix, after={"on": fix.done_on})
    return fix


@transaction.atomic
def do_create_point(
    *, unit, name: str, verification: str = RatingPoint.Check.CAPTCHA, actor
) -> RatingPoint:
    require_office(actor, unit)
    if not name.strip():
        raise ActionError(_("Name the service rated here."), field="name")
    if verification not in RatingPoint.Check.values:
        raise ActionError(_("Choose how the point checks that a person rates."),
                          field="verification")  # fmt: skip
    if verification == RatingPoint.Check.SMS and not settings.SMS_GATEWAY_URL:
        raise ActionError(_("SMS codes need the installation's SMS gateway (SMS_GATEWAY_URL)."),
                          field="verification")  # fmt: skip
    point = RatingPoint.objects.create(
        unit=unit, name=name.strip(), token=secrets.token_urlsafe(12), verification=verification
    )
    record(actor=actor, action="rating.point", obj=point, after={"unit": unit.code})
    return point


def satisfaction(unit, period: Period) -> Decimal | None:
    """Share of counted ratings at 满意 or above, in percent; None without ratings. Held and
    rejected ratings never count."""
    counts = Rating.objects.filter(
        point__unit=unit, period=str(period), state=Rating.State.COUNTED
    ).aggregate(n=Count("pk"), good=Count("pk", filter=Q(level__gte=Rating.Level.GOOD)))
    if not counts["n"]:
        return None
    return (Decimal(counts["good"]) / counts["n"] * 100).quantize(Decimal("0.1"))


@transaction.atomic
def do_compute_satisfaction(month: str, *, actor=None) -> dict:
    """The month's satisfaction rate of every unit with a rating point, as an indicator."""
    from luoshi.indicators.actions import do_create_indicator, do_record_values
    from luoshi.indicators.models import Indicator
    from luoshi.orgs.models import Unit, UnitClass

    period = Period.parse(month)
    units = list(Unit.objects.filter(rating_points__isnull=False).distinct())
    indicator = Indicator.objects.filter(code="c-satisfaction").first() or do_create_indicator(
        code="c-satisfaction",
        name="群众满意率",
        unit_of_measure="%",
        frequency="month",
        classes=list(UnitClass.objects.filter(pk__in={u.unit_class_id for u in units}))
        or list(UnitClass.objects.filter(code="township")),
        definition="群众评判中评为满意、很满意的比例",
        actor=actor,
    )
    entries = [(u, v) for u in units if (v := satisfaction(u, period)) is not None]
    entries = [(u, v) for u, v in entries if indicator.classes.filter(pk=u.unit_class_id).exists()]
    written = (
        do_record_values(indicator, str(period), entries, source="pipeline", actor=actor)["written"]
        if entries
        else 0
    )
    return {"units": len(entries), "written": written}
