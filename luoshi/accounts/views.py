from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from luoshi.lib.errors import ActionError, NotAllowed
from luoshi.lib.throttle import LoginThrottle
from luoshi.orgs.models import Unit

from . import actions
from .forms import (
    ApiTokenForm,
    LoginForm,
    MembershipForm,
    PasswordChangeForm,
    PersonEditForm,
    PersonForm,
)
from .models import ApiToken, Membership, Role, User
from .scope import scope_for


def _require_office(request):
    if not scope_for(request.user).has_role(Role.OFFICE):
        raise PermissionDenied


def _get_person_for_user(request, pk) -> User:
    return get_object_or_404(User.objects.visible_to(request.user), pk=pk)


def _form_error(form, error: ActionError):
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_not_required
@sensitive_post_parameters("password")
def login_view(request):
    if request.user.is_authenticated:
        return redirect("home")
    if request.method == "POST" and not LoginThrottle().allow_request(request):
        refused = _("Too many log-in attempts from this computer. Wait a minute and try again.")
        form = LoginForm(request, initial={"username": request.POST.get("username", "")})
        context = {"form": form, "refused": refused}
        return render(request, "accounts/login.html", context, status=429)
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        login(request, user)
        actions.do_record_login(user)
        return redirect(_safe_next(request))
    return render(request, "accounts/login.html", {"form": form})


def _safe_next(request) -> str:
    """Where to go after log-in: ?next= only when it stays on this site (no open redirect)."""
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")


@sensitive_post_parameters()
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_change_password(
                request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ActionError as e:
            _form_error(form, e)
        else:
            user = User.objects.get(pk=request.user.pk)
            login(request, user)  # keeps the session valid after the hash changed
            messages.success(request, _("Your password has been changed."))
            return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})


def people(request):
    _require_office(request)
    text = request.GET.get("q", "")
    role = request.GET.get("role", "")
    qs = User.objects.visible_to(request.user).search(text)
    if role in Role.values:
        qs = qs.filter(memberships__role=role, memberships__active=True).distinct()
    page = Paginator(qs.order_by("username"), 50).get_page(request.GET.get("page"))
    # One query for all memberships on the page, not one per person.
    memberships: dict[int, list] = {}
    for m in Membership.objects.filter(user__in=page.object_list, active=True).select_related(
        "unit"
    ):
        memberships.setdefault(m.user_id, []).append(m)
    rows = [(person, memberships.get(person.pk, [])) for person in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": rows,
        "q": text,
        "role": role,
        "roles": Role.choices,
        "query": query.urlencode(),
    }
    return render(request, "accounts/people.html", context)


def person_new(request):
    _require_office(request)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = actions.do_create_user(**form.cleaned_data, actor=request.user)
        except ActionError as e:
            _form_error(form, e)
        else:
            messages.success(request, _("Created. Add a membership so the person can see a unit."))
            return redirect("accounts:person", pk=person.pk)
    return render(request, "accounts/person_form.html", {"form": form})


def person_detail(request, pk):
    _require_office(request)
    person = _get_person_for_user(request, pk)
    visible_units = Unit.objects.visible_to(request.user).active()
    membership_form = MembershipForm(units=visible_units)
    edit_form = PersonEditForm(initial={"full_name": person.full_name, "mobile": person.mobile})
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "edit":
                edit_form = PersonEditForm(request.POST)
                if edit_form.is_valid():
                    actions.do_update_user(person, **edit_form.cleaned_data, actor=request.user)
                    messages.success(request, _("Saved."))
                    return redirect("accounts:person", pk=pk)
            elif which == "membership":
                membership_form = MembershipForm(request.POST, units=visible_units)
                if membership_form.is_valid():
                    actions.do_add_membership(
                        user=person, **membership_form.cleaned_data, actor=request.user
                    )
                    messages.success(request, _("Membership added."))
                    return redirect("accounts:person", pk=pk)
        except NotAllowed as e:
            raise PermissionDenied(e.message) from e
        except ActionError as e:
            _form_error(edit_form if which == "edit" else membership_form, e)
    memberships = person.memberships.select_related("unit").order_by("-active", "unit__path")
    return render(
        request,
        "accounts/person.html",
        {
            "person": person,
            "memberships": memberships,
            "membership_form": membership_form,
            "edit_form": edit_form,
        },
    )


def _person_action(request, pk, action, done_message):
    _require_office(request)
    person = _get_person_for_user(request, pk)
    try:
        result = action(person)
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    except ActionError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, done_message(result))
    return redirect("accounts:person", pk=pk)


@require_POST
def person_reset_password(request, pk):
    return _person_action(
        request,
        pk,
        lambda p: actions.do_reset_password(p, actor=request.user),
        lambda temp: (
            _(
                "Temporary password: %(password)s. Give it to the person in person; "
                "they must change it when they log in. Their API tokens have been revoked."
            )
            % {"password": temp}
        ),
    )


@require_POST
def person_unlock(request, pk):
    return _person_action(
        request,
        pk,
        lambda p: actions.do_unlock_user(p, actor=request.user),
        lambda _r: _("Unlocked."),
    )


@require_POST
def person_set_active(request, pk):
    active = request.POST.get("active") == "1"
    return _person_action(
        request,
        pk,
        lambda p: actions.do_update_user(p, is_active=active, actor=request.user),
        lambda _r: _("Account enabled.") if active else _("Account disabled."),
    )


@require_POST
def membership_end(request, pk):
    _require_office(request)
    membership = get_object_or_404(Membership.objects.visible_to(request.user), pk=pk)
    try:
        actions.do_end_membership(membership, actor=request.user)
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    messages.success(request, _("Membership ended."))
    return redirect("accounts:person", pk=membership.user_id)


def tokens(request):
    """A person's own API tokens: create one for a membership, revoke one."""
    memberships = list(Membership.objects.active().filter(user=request.user).select_related("unit"))
    form = ApiTokenForm(request.POST or None, memberships=memberships)
    new_key = None
    if request.method == "POST" and form.is_valid():
        membership = next(m for m in memberships if str(m.pk) == form.cleaned_data["membership"])
        try:
            _token, new_key = actions.do_create_api_token(
                user=request.user,
                name=form.cleaned_data["name"],
                role=membership.role,
                unit=membership.unit,
                actor=request.user,
            )
        except ActionError as e:
            _form_error(form, e)
        else:
            form = ApiTokenForm(memberships=memberships)
    own = ApiToken.objects.filter(user=request.user).select_related("unit")
    return render(
        request, "accounts/tokens.html", {"form": form, "tokens": own, "new_key": new_key}
    )


@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    actions.do_revoke_api_token(token, actor=request.user)
    messages.success(request, _("Token revoked; it no longer works."))
    return redirect("accounts:tokens")
