from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.accounts.models import Membership, Role
from luoshi.accounts.scope import scope_for
from luoshi.supervision.models import Task
from luoshi.supervision.views.common import run_action, uploaded_files
from luoshi.supervision.views.work import protected_file

from .actions import do_create_source
from .forms import SourceForm
from .models import Source, SourceFile


def source_list(request):
    sources = (
        Source.objects.visible_to(request.user)
        .annotate(task_count=Count("tasks"))
        .order_by("-date", "-pk")
    )
    text = request.GET.get("q", "").strip()
    if text:
        sources = sources.filter(title__icontains=text)
    page = Paginator(sources, 50).get_page(request.GET.get("page"))
    can_create = scope_for(request.user).has_role(Role.OFFICE)
    return render(
        request,
        "directives/list.html",
        {"page": page, "q": text, "can_create": can_create, "query": f"q={text}" if text else ""},
    )


def source_new(request):
    office = (
        Membership.objects.active()
        .filter(user=request.user, role=Role.OFFICE)
        .select_related("unit")
        .first()
    )
    if office is None:
        raise PermissionDenied
    form = SourceForm(
        request.POST or None, request.FILES or None, initial={"date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files = uploaded_files(data.pop("files"))
        created = {}

        def create():
            created["source"] = do_create_source(
                owner_unit=office.unit, files=files, actor=request.user, **data
            )

        if run_action(request, create, _("Source registered. Now add its tasks."), form):
            return redirect("directives:source", pk=created["source"].pk)
    return render(request, "directives/form.html", {"form": form})


def source_detail(request, pk):
    source = get_object_or_404(Source.objects.visible_to(request.user), pk=pk)
    tasks = Task.objects.visible_to(request.user).filter(source=source).select_related("lead_unit")
    return render(
        request,
        "directives/detail.html",
        {
            "source": source,
            "tasks": tasks,
            "files": source.files.all(),
            "speeches": source.speeches.all(),
            "can_add": scope_for(request.user).has_role(Role.OFFICE),
        },
    )


def source_file(request, pk):
    stored = get_object_or_404(
        SourceFile.objects.filter(source__in=Source.objects.visible_to(request.user)), pk=pk
    )
    return protected_file(stored)
