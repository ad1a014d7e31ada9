"""群众评判: citizens rate a unit or service without logging in; a bad rating opens a fix with
a clock in working days; the monthly satisfaction rate enters the evaluation as an indicator.

Against ballot stuffing, without any outside service (intranets have no internet):
one rating per device, point and month (a random device id in a signed cookie); at most
``RATE_LIMIT`` ratings an hour from one address; and a signed form token, bound to the
device and the point, that must be at least ``MIN_SECONDS`` old (scripts post at once) and
at most an hour; plus an invisible field that people leave empty.
"""

import hashlib
import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.accounts.permissions import require_office
from luoshi.audit.chain import record
from luoshi.lib.errors import ActionError
from luoshi.lib.periods import Period
from luoshi.supervision.calendar import load_calendar

from .models import Rating, RatingFix, RatingPoint

RATE_LIMIT = 5  # ratings per hour from one address
MIN_SECONDS, MAX_SECONDS = 3, 3600
FIX_DAYS = 15
_SALT = "luoshi.rating"


class Refused(ActionError):
    """A rating turned away (stuffing, a stale form); the message says why in plain words."""


def _hash(text: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{text}".encode()).hexdigest()[:64]


def new_device_id() -> str:
    return secrets.token_urlsafe(16)


def form_token(point: RatingPoint, device: str) -> str:
    return signing.TimestampSigner(salt=_SALT).sign(f"{point.token}:{_hash(device)}")


def _check_token(token: str, point: RatingPoint, device: str) -> None:
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        value = signer.unsign(token, max_age=MAX_SECONDS)
    except signing.SignatureExpired:
        raise Refused(_("The form has expired; open the page again.")) from None
    except signing.BadSignature:
        raise Refused(_("The form is not valid; open the page again.")) from None
    if value != f"{point.token}:{_hash(device)}":
        raise Refused(_("The form is not valid; open the page again."))
    issued = signing.b62_decode(token.rsplit(":", 2)[-2])
    if timezone.now().timestamp() - issued < MIN_SECONDS:
        raise Refused(_("Too fast: please read the form and submit again."))


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
) -> Rating:
    if not point.active:
        raise Refused(_("This rating point is closed."))
    if honeypot:
        raise Refused(_("The form is not valid; open the page again."))
    _check_token(token, point, device)
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in Rating.Level.values:
        raise ActionError(_("Choose one of the five levels."), field="level")
    client = _hash(address or "")
    since = timezone.now() - timedelta(hours=1)
    if Rating.objects.filter(client=client, created_at__gte=since).count() >= RATE_LIMIT:
        raise Refused(_("Too many ratings from this network in an hour; please try later."))
    today = timezone.localdate()
    period = f"{today.year}-{today.month:02d}"
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                point=point,
                period=period,
                level=level,
                comment=comment.strip()[:1000],
                device=_hash(device),
                client=client,
            )
    except IntegrityError:
        raise Refused(_("You have already rated this service this month. Thank you.")) from None
    if level <= Rating.Level.BAD:
        fix = RatingFix.objects.create(
            rating=rating, unit=point.unit, due_on=load_calendar().add_workdays(today, FIX_DAYS)
        )
        from luoshi.accounts.staff import unit_staff
        from luoshi.notify.actions import do_notify

        do_notify(
            unit_staff(point.unit),
            kind="rating",
            title=_("A citizen is dissatisfied with %(point)s: fix it by %(due)s")
            % {"point": point, "due": fix.due_on.isoformat()},
            body=rating.comment,
            url="/incentives/ratings/",
            unit=point.unit,
        )
    record(actor=None, action="rating.add", obj=rating, after={"point": point.pk, "level": level})
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
def do_create_point(*, unit, name: str, actor) -> RatingPoint:
    require_office(actor, unit)
    if not name.strip():
        raise ActionError(_("Name the service rated here."), field="name")
    point = RatingPoint.objects.create(
        unit=unit, name=name.strip(), token=secrets.token_urlsafe(12)
    )
    record(actor=actor, action="rating.point", obj=point, after={"unit": unit.code})
    return point


def satisfaction(unit, period: Period) -> Decimal | None:
    """Share of ratings at 满意 or above, in percent; None without ratings."""
    counts = Rating.objects.filter(point__unit=unit, period=str(period)).aggregate(
        n=Count("pk"), good=Count("pk", filter=Q(level__gte=Rating.Level.GOOD))
    )
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
