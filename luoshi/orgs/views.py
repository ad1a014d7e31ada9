from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.accounts.models import Membership, Role
from luoshi.accounts.scope import scope_for
from luoshi.audit.models import AuditEvent
from luoshi.lib.errors import ActionError, NotAllowed
from luoshi.lib.xlsx import ImportRejected

from . import actions
from .forms import ImportForm, MergeForm, OversightForm, UnitClassForm, UnitEditForm, UnitForm
from .models import LeaderOversight, Unit, UnitClass
from .tree_xlsx import export_units, import_units

SEARCH_LIMIT = 100


def _get_unit_for_user(request, pk) -> Unit:
    return get_object_or_404(Unit.objects.visible_to(request.user), pk=pk)


def _with_child_counts(units):
    return units.select_related("unit_class").annotate(
        child_count=Count("children", filter=Q(children__status=Unit.Status.ACTIVE))
    )


def _require_office_for(request, unit):
    if not scope_for(request.user).is_office_for(unit):
        raise PermissionDenied


def tree(request):
    """The tree from the person's own roots down, or search results."""
    text = request.GET.get("q", "").strip()
    visible = Unit.objects.visible_to(request.user)
    if text:
        found = visible.search(text).select_related("parent", "unit_class").order_by("path")
        results = list(found[: SEARCH_LIMIT + 1])
        context = {
            "q": text,
            "results": results[:SEARCH_LIMIT],
            "more": len(results) > SEARCH_LIMIT,
        }
        template = (
            "orgs/_search_results.html" if request.headers.get("HX-Request") else "orgs/tree.html"
        )
        return render(request, template, context)
    scope = scope_for(request.user)
    roots = visible if scope.everything else visible.filter(path__in=scope.prefixes)
    if scope.everything:
        roots = roots.filter(parent__isnull=True)
    context = {
        "roots": _with_child_counts(roots.order_by("order", "path")),
        "can_import": scope.has_role(Role.OFFICE),
    }
    return render(request, "orgs/tree.html", context)


def children(request, pk):
    unit = _get_unit_for_user(request, pk)
    kids = _with_child_counts(
        unit.children.filter(status=Unit.Status.ACTIVE).order_by("order", "code")
    )
    return render(request, "orgs/_children.html", {"units": kids})


def detail(request, pk):
    unit = _get_unit_for_user(request, pk)
    scope = scope_for(request.user)
    is_office = scope.is_office_for(unit)
    members = Membership.objects.active().filter(unit=unit).select_related("user")
    context = {
        "unit": unit,
        "ancestors": unit.ancestors().filter(scope.unit_q("")),
        "children": _with_child_counts(unit.children.order_by("status", "order", "code")),
        "members": members,
        "overseers": unit.overseen_by.select_related("leader"),
        "former_names": unit.former_names.all(),
        "is_office": is_office,
        "events": AuditEvent.objects.for_object(unit)[:20] if is_office else [],
        "merge_form": MergeForm(units=Unit.objects.visible_to(request.user)),
        "oversight_form": OversightForm(),
    }
    return render(request, "orgs/detail.html", context)


def _run(request, form, action, success):
    """Call an action; on refusal show why beside the form and change nothing."""
    try:
        result = action()
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    except ActionError as e:
        form.add_error(e.field if e.field in form.fields else None, e.message)
        return None
    messages.success(request, success)
    return result


def new_child(request, pk):
    parent = _get_unit_for_user(request, pk)
    _require_office_for(request, parent)
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        unit = _run(
            request,
            form,
            lambda: actions.do_create_unit(parent=parent, actor=request.user, **form.cleaned_data),
            _("Unit created."),
        )
        if unit:
            return redirect("orgs:detail", pk=unit.pk)
    return render(request, "orgs/unit_form.html", {"form": form, "parent": parent})


def edit(request, pk):
    unit = _get_unit_for_user(request, pk)
    _require_office_for(request, unit)
    visible = Unit.objects.visible_to(request.user)
    initial = {
        "code": unit.code,
        "name": unit.name,
        "unit_class": unit.unit_class_id,
        "order": unit.order,
        "parent": unit.parent.code if unit.parent else "",
    }
    form = UnitEditForm(request.POST or None, initial=initial, units=visible)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data["parent"] is None and unit.parent is not None:
            form.add_error("parent", _("Give the code of the unit this one belongs under."))
        elif _run(
            request,
            form,
            lambda: actions.do_update_unit(unit, actor=request.user, **data),
            _("Saved."),
        ):
            return redirect("orgs:detail", pk=unit.pk)
    return render(request, "orgs/unit_form.html", {"form": form, "unit": unit})


@require_POST
def retire(request, pk):
    unit = _get_unit_for_user(request, pk)
    _require_office_for(request, unit)
    try:
        actions.do_retire_unit(unit, actor=request.user)
        messages.success(request, _("Unit retired. Its records are kept."))
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    except ActionError as e:
        messages.error(request, e.message)
    return redirect("orgs:detail", pk=unit.pk)


@require_POST
def merge(request, pk):
    unit = _get_unit_for_user(request, pk)
    _require_office_for(request, unit)
    form = MergeForm(request.POST, units=Unit.objects.visible_to(request.user))
    if form.is_valid():
        try:
            actions.do_merge_unit(unit, into=form.cleaned_data["into"], actor=request.user)
            messages.success(request, _("Unit merged. Its records are kept."))
        except NotAllowed as e:
            raise PermissionDenied(e.message) from e
        except ActionError as e:
            messages.error(request, e.message)
    else:
        messages.error(request, " ".join(form.errors["into"]))
    return redirect("orgs:detail", pk=unit.pk)


@require_POST
def oversight_add(request, pk):
    unit = _get_unit_for_user(request, pk)
    _require_office_for(request, unit)
    form = OversightForm(request.POST)
    if form.is_valid():
        actions.do_set_oversight(unit=unit, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Oversight saved."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("orgs:detail", pk=unit.pk)


@require_POST
def oversight_remove(request, pk):
    oversight = get_object_or_404(
        LeaderOversight.objects.filter(scope_for(request.user).unit_q("unit__")), pk=pk
    )
    _require_office_for(request, oversight.unit)
    actions.do_remove_oversight(oversight, actor=request.user)
    messages.success(request, _("Oversight removed."))
    return redirect("orgs:detail", pk=oversight.unit_id)


def import_view(request):
    if not scope_for(request.user).has_role(Role.OFFICE):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = import_units(form.cleaned_data["file"].read(), actor=request.user)
        except ImportRejected as e:
            errors = e.errors
        except NotAllowed as e:
            raise PermissionDenied(e.message) from e
        else:
            messages.success(
                request,
                _("Imported: %(created)d units created, %(updated)d units checked or updated.")
                % result,
            )
            return redirect("orgs:tree")
    return render(request, "orgs/import.html", {"form": form, "errors": errors})


def export_view(request):
    data = export_units(Unit.objects.visible_to(request.user))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="units-{stamp}.xlsx"'
    return response


def classes(request):
    """Unit classes (分类考核 groups): the built-in ones and those the office adds."""
    is_office = scope_for(request.user).has_role(Role.OFFICE)
    form = UnitClassForm(request.POST or None)
    if request.method == "POST":
        if not is_office:
            raise PermissionDenied
        if form.is_valid() and _run(
            request,
            form,
            lambda: actions.do_create_unit_class(actor=request.user, **form.cleaned_data),
            _("Unit class added."),
        ):
            return redirect("orgs:classes")
    counts = UnitClass.objects.annotate(
        n=Count(
            "units",
            filter=Q(units__status=Unit.Status.ACTIVE) & scope_for(request.user).unit_q("units__"),
        )
    )
    return render(
        request, "orgs/classes.html", {"classes": counts, "form": form, "is_office": is_office}
    )
