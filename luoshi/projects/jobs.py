"""The pipeline's periodic work, run by `luoshi scheduler` on every pass."""

from django.utils import timezone

from luoshi.supervision.calendar import load_calendar

from .actions import escalate_overdue_obstacles, refresh_lead_lights, refresh_project_light
from .models import Project


def project_tick(today=None) -> dict:
    """Lights of leads and projects for today; obstacles past their clock to the leader."""
    today = today or timezone.localdate()
    calendar = load_calendar()
    projects = Project.objects.prefetch_related("stages", "investments")
    for project in projects:
        refresh_project_light(project, today, calendar)
    return {
        "lead_lights": refresh_lead_lights(today),
        "projects": len(projects),
        "obstacles_escalated": escalate_overdue_obstacles(today),
    }
