from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.lib.errors import ActionError

from ..models import Task, TaskEvent


def add_event(task, kind, *, actor, note="", unit=None, report=None, at=None) -> TaskEvent:
    return TaskEvent.objects.create(
        task=task,
        kind=kind,
        actor=actor if actor is not None and actor.pk else None,
        unit=unit,
        report=report,
        note=note,
        at=at or timezone.now(),
    )


def require_state(task: Task, allowed, doing: str) -> None:
    """Refuse an illegal transition with a message that says why."""
    if task.state not in allowed:
        raise ActionError(
            _("This task is “%(state)s”; it cannot be %(doing)s now.")
            % {"state": task.get_state_display(), "doing": doing},
            field="state",
        )


def locked(task: Task) -> Task:
    """Re-read the task under a row lock so two people cannot move it at once."""
    return Task.objects.select_for_update().get(pk=task.pk)
