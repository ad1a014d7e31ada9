"""容错免责: units apply on their deductions, the office decides with the checklist, reviews the
redacted precedent, and those it is released to search it."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.accounts.models import Role
from luoshi.accounts.scope import scope_for
from luoshi.accounts.staff import office_unit_of
from luoshi.evaluation.models import Adjustment
from luoshi.lib.errors import ActionError
from luoshi.orgs import paths
from luoshi.supervision.views.common import run_action

from .actions import CHECKS, do_apply_for_exemption, do_decide_exemption
from .models import ExemptionApplication


def _pk(text) -> int:
    """A posted id, or 0 (which finds nothing: a 404, not an error page)."""
    return int(text) if str(text or "").isdigit() else 0


def _applications_for(user):
    return ExemptionApplication.objects.filter(scope_for(user).unit_q("unit__")).select_related(
        "adjustment", "unit", "applied_by", "decided_by"
    )


def exemptions(request):
    scope = scope_for(request.user)
    office = scope.has_role(Role.OFFICE)
    own_units = [unit for role, unit in scope.memberships if role in (Role.UNIT_HEAD, Role.LIAISON)]
    deductions = (
        Adjustment.objects.filter(
            unit__in=own_units, withdrawn_at__isnull=True, exemption__isnull=True
        )
        .exclude(kind=Adjustment.Kind.BONUS)
        .select_related("unit")
    )
    return render(
        request,
        "incentives/exemptions.html",
        {
            "applications": _applications_for(request.user)[:200],
            "deductions": deductions,
            "office": office,
            "checks": [(c, ExemptionApplication._meta.get_field(c).verbose_name) for c in CHECKS],
        },
    )


def _run(request, action, success):
    run_action(request, action, success)
    return redirect("incentives:exemptions")


@require_POST
def apply(request, pk):
    adjustment = get_object_or_404(
        Adjustment.objects.filter(scope_for(request.user).unit_q("unit__")), pk=pk
    )
    return _run(
        request,
        lambda: do_apply_for_exemption(
            adjustment,
            facts=request.POST.get("facts", ""),
            evidence=request.POST.get("evidence", ""),
            actor=request.user,
        ),
        _("Application sent to the office."),
    )


@require_POST
def decide(request, pk):
    application = get_object_or_404(_applications_for(request.user), pk=pk)
    answers = {c: {"yes": True, "no": False}.get(request.POST.get(c, "")) for c in CHECKS}
    return _run(
        request,
        lambda: do_decide_exemption(
            application,
            approve=request.POST.get("do") == "approve",
            reason=request.POST.get("reason", ""),
            answers=answers,
            actor=request.user,
        ),
        _("Decided and kept as a precedent."),
    )


def _within(scope, roles, prefix: str) -> Q:
    """Objects whose unit lies under a unit where the person holds one of ``roles``."""
    if scope.everything:
        return Q()
    q = Q(pk__in=[])
    for role in roles:
        for root in scope.role_prefixes.get(role, ()):
            q |= Q(**{f"{prefix}path__gte": root, f"{prefix}path__lt": paths.upper_bound(root)})
    return q


def precedents_visible_to(user):
    """Reviewed precedents: the office and reviewers over the unit read them; everyone else
    only those the office made public."""
    scope = scope_for(user)
    return ExemptionApplication.objects.filter(
        Q(precedent_state=ExemptionApplication.Precedent.REVIEWED)
        & (Q(precedent_public=True) | _within(scope, (Role.OFFICE, Role.REVIEWER), "unit__"))
    )


def precedents(request):
    """Decided applications as precedents, without names or numbers, searchable; the office
    reviews each redacted draft before anyone else reads it."""
    q = request.GET.get("q", "").strip()
    decided = precedents_visible_to(request.user).order_by("-decided_at")
    if q:
        decided = decided.filter(precedent__icontains=q)
    scope = scope_for(request.user)
    waiting = (
        ExemptionApplication.objects.filter(
            _within(scope, (Role.OFFICE,), "unit__"),
            precedent_state=ExemptionApplication.Precedent.REVIEW,
        )
        .select_related("unit", "adjustment")
        .order_by("decided_at")
    )
    return render(
        request,
        "incentives/precedents.html",
        {"precedents": decided[:200], "waiting": waiting[:50], "q": q},
    )


@require_POST
def review_precedent(request, pk):
    from .actions import do_review_precedent

    application = get_object_or_404(_applications_for(request.user), pk=pk)
    run_action(
        request,
        lambda: do_review_precedent(
            application,
            text=request.POST.get("precedent", ""),
            public=request.POST.get("public") == "1",
            actor=request.user,
        ),
        _("Reviewed: the precedent can now be read."),
    )
    return redirect("incentives:precedents")


def awards(request):
    """Criteria, this period's candidates with their evidence, and the awards given."""
    from luoshi.lib.periods import Period
    from luoshi.orgs.models import Unit

    from .awards import candidates, do_confirm_award, do_declare_criterion
    from .models import Award, AwardCriterion

    scope = scope_for(request.user)
    office = scope.has_role(Role.OFFICE)
    within = office_unit_of(request.user)
    today = timezone.localdate()
    period_text = request.GET.get("period") or str(Period.of("quarter", today))
    try:
        period = Period.parse(period_text)
    except ValueError:
        messages.error(request, _("“%(text)s” is not a period.") % {"text": period_text})
        period = Period.of("quarter", today)
    if request.method == "POST":
        if not office or within is None:
            raise PermissionDenied
        if request.POST.get("do") == "criterion":
            action = partial(
                do_declare_criterion,
                name=request.POST.get("name", ""),
                kind=request.POST.get("kind", ""),
                rule=request.POST.get("rule", ""),
                threshold=request.POST.get("threshold") or 0,
                points=request.POST.get("points") or 0,
                actor=request.user,
            )
        else:
            criterion = get_object_or_404(AwardCriterion, pk=_pk(request.POST.get("criterion")))
            unit = get_object_or_404(
                Unit.objects.visible_to(request.user), pk=_pk(request.POST.get("unit"))
            )
            action = partial(
                do_confirm_award, criterion, unit, str(period), reasons=request.POST.get("reasons", ""),
                actor=request.user, within=within,
            )  # fmt: skip
        run_action(request, action, _("Saved."))
        return redirect(f"{request.path}?period={period}")
    criteria = list(AwardCriterion.objects.filter(active=True))
    given = Award.objects.filter(unit__in=Unit.objects.visible_to(request.user)).select_related(
        "criterion", "unit", "adjustment"
    )
    found = [(c, candidates(c, period, within)) for c in criteria] if office and within else []
    return render(
        request,
        "incentives/awards.html",
        {
            "period": period,
            "office": office,
            "found": found,
            "given": given[:100],
            "kinds": AwardCriterion.Kind.choices,
            "rules": AwardCriterion.Rule.choices,
            "criteria": criteria,
        },
    )


DEVICE_COOKIE = "luoshi_rater"


@login_not_required
def rate(request, token):
    """The public rating form (no log-in), reached by a link or a QR code."""
    import base64

    from luoshi.lib.throttle import client_address

    from .models import Rating, RatingPoint
    from .ratings import (
        Refused,
        challenge_image,
        do_rate,
        do_send_rating_code,
        form_token,
        new_challenge,
        new_device_id,
    )

    point = get_object_or_404(RatingPoint.objects.select_related("unit"), token=token, active=True)
    device = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt="rater") or new_device_id()
    done, error, sent = False, "", False
    if request.method == "POST":
        address = client_address(request)
        try:
            if request.POST.get("do") == "code":
                do_send_rating_code(point, mobile=request.POST.get("mobile", ""), address=address)
                sent = True
            else:
                do_rate(
                    point,
                    level=request.POST.get("level"),
                    comment=request.POST.get("comment", ""),
                    device=device,
                    address=address,
                    token=request.POST.get("token", ""),
                    honeypot=request.POST.get("website", ""),
                    answer=request.POST.get("answer", ""),
                    mobile=request.POST.get("mobile", ""),
                    code=request.POST.get("code", ""),
                )
                done = True
        except (Refused, ActionError) as e:
            error = e.message
    # A new picture code every time the form is shown (a wrong answer gets a fresh one).
    answer = new_challenge() if point.verification == RatingPoint.Check.CAPTCHA else ""
    picture = (
        "data:image/png;base64," + base64.b64encode(challenge_image(answer)).decode()
        if answer
        else ""
    )
    response = render(
        request,
        "incentives/rate.html",
        {
            "point": point,
            "token": form_token(point, device, answer),
            "levels": Rating.Level.choices,
            "done": done,
            "error": error,
            "sent": sent,
            "picture": picture,
            "typed": request.POST if request.method == "POST" and not done else {},
        },
    )
    response.set_signed_cookie(
        DEVICE_COOKIE, device, salt="rater", max_age=400 * 86400, httponly=True, samesite="Lax"
    )
    return response


def ratings(request):
    """Rating points with their QR codes (office), and the fixes bad ratings opened."""
    import segno

    from luoshi.orgs.models import Unit

    from .models import Rating, RatingFix, RatingPoint
    from .ratings import do_close_fix, do_create_point, do_review_rating

    scope = scope_for(request.user)
    office = scope.has_role(Role.OFFICE)
    if request.method == "POST":
        what = request.POST.get("do")
        if what == "point":
            unit = get_object_or_404(
                Unit.objects.visible_to(request.user), pk=_pk(request.POST.get("unit"))
            )
            action = partial(
                do_create_point, unit=unit, name=request.POST.get("name", ""),
                verification=request.POST.get("verification", RatingPoint.Check.CAPTCHA),
                actor=request.user,
            )  # fmt: skip
        elif what in ("accept", "reject"):
            rating = get_object_or_404(
                Rating.objects.filter(scope.unit_q("point__unit__")),
                pk=_pk(request.POST.get("rating")),
            )
            action = partial(do_review_rating, rating, accept=what == "accept", actor=request.user)
        else:
            fix = get_object_or_404(
                RatingFix.objects.filter(scope.unit_q("unit__")), pk=_pk(request.POST.get("fix"))
            )
            action = partial(
                do_close_fix, fix, callback=request.POST.get("callback", ""), actor=request.user
            )
        run_action(request, action, _("Saved."))
        return redirect("incentives:ratings")
    points = list(RatingPoint.objects.filter(scope.unit_q("unit__")).select_related("unit")[:200])
    for p in points:
        url = request.build_absolute_uri(f"/incentives/rate/{p.token}/")
        p.url = url
        p.qr = segno.make(url, error="m").svg_inline(scale=3)
    fixes = RatingFix.objects.filter(scope.unit_q("unit__")).select_related(
        "rating__point", "unit"
    )[:200]
    units = (
        Unit.objects.active().filter(scope.unit_q("")).filter(depth__lte=2).order_by("path")
        if office
        else []
    )
    held = (
        Rating.objects.filter(scope.unit_q("point__unit__"), state=Rating.State.HELD)
        .select_related("point__unit")
        .order_by("created_at")
        if office
        else Rating.objects.none()
    )
    return render(
        request,
        "incentives/ratings.html",
        {
            "points": points,
            "fixes": fixes,
            "office": office,
            "units": units,
            "held": held[:200],
            "held_count": held.count(),
            "checks": RatingPoint.Check.choices,
        },
    )


def highlights(request):
    """Units declare their highlight work; the office accepts or returns; reviewers score."""
    from .highlights import do_declare_highlight, do_review_highlight, do_score_highlight
    from .models import Highlight

    scope = scope_for(request.user)
    year = int(request.GET.get("year") or timezone.localdate().year)
    own_units = [u for role, u in scope.memberships if role in (Role.UNIT_HEAD, Role.LIAISON)]
    if request.method == "POST":
        what = request.POST.get("do")
        if what == "declare":
            from luoshi.orgs.models import Unit

            unit = get_object_or_404(
                Unit.objects.filter(pk__in=own_units), pk=_pk(request.POST.get("unit"))
            )
            action = partial(
                do_declare_highlight, unit=unit, year=year, title=request.POST.get("title", ""),
                target=request.POST.get("target", ""), milestones=request.POST.get("milestones", ""),
                actor=request.user,
            )  # fmt: skip
        else:
            highlight = get_object_or_404(
                Highlight.objects.filter(year=year), pk=_pk(request.POST.get("highlight"))
            )
            if what == "score":
                action = partial(
                    do_score_highlight,
                    highlight,
                    score=request.POST.get("score", ""),
                    actor=request.user,
                )
            else:
                action = partial(
                    do_review_highlight, highlight, accept=what == "accept", note=request.POST.get("note", ""),
                    actor=request.user,
                )  # fmt: skip
        run_action(request, action, _("Saved."))
        return redirect(f"{request.path}?year={year}")
    reviewer = scope.has_role(Role.REVIEWER, Role.LEADER)
    office = scope.has_role(Role.OFFICE)
    visible = Highlight.objects.filter(year=year).select_related("unit")
    if not (reviewer or office):
        visible = visible.filter(scope.unit_q("unit__"))
    from .models import HighlightScore

    mine = dict(
        HighlightScore.objects.filter(reviewer=request.user, highlight__year=year).values_list(
            "highlight", "score"
        )
    )
    rows = [(h, mine.get(h.pk)) for h in visible]
    from luoshi.orgs.models import Unit

    return render(
        request,
        "incentives/highlights.html",
        {
            "year": year,
            "rows": rows,
            "office": office,
            "reviewer": reviewer,
            "own_units": Unit.objects.filter(pk__in=own_units),
        },
    )


def index(request):
    return render(request, "incentives/index.html")
