from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from luoshi.lib.errors import ActionError, NotAllowed

from ..models import ProgressReport, Task


def get_task_for_user(request, pk) -> Task:
    return get_object_or_404(
        Task.objects.visible_to(request.user).select_related(
            "lead_unit", "leader", "source", "category", "parent"
        ),
        pk=pk,
    )


def get_report_for_user(request, pk) -> ProgressReport:
    return get_object_or_404(
        ProgressReport.objects.visible_to(request.user).select_related("task", "unit"), pk=pk
    )


def run_action(request, action, success: str, form=None) -> bool:
    """Call one action; NotAllowed → 403, bad input → the message beside the form (or on top)."""
    try:
        action()
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    except ActionError as e:
        if form is not None and e.field in form.fields:
            form.add_error(e.field, e.message)
        else:
            messages.error(request, e.message)
        return False
    messages.success(request, success)
    return True


def uploaded_files(files) -> list[tuple[str, bytes]]:
    return [(f.name, f.read()) for f in files or ()]
