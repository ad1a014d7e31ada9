"""Health for monitors and load balancers; no log-in, no personal data.

GET /health/ is liveness: 200 whenever this process answers and the database does, 503 only when
the database does not. The job queue is reported in it but never fails it: a queue that is busy
or has no worker is not a reason to take a web node out of the load balancer (the probe saw
/health/ turn 503 under a flood of documents, which a balancer reads as every node down).
GET /health/jobs/ is for the monitoring system: 503 when a job has waited more than
STALE_JOB_SECONDS, i.e. no `luoshi worker` is keeping up.
"""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone

# A job waiting longer than this means no `luoshi worker` is running (or keeping up).
STALE_JOB_SECONDS = 600


def _database_down() -> JsonResponse | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as e:
        return JsonResponse(
            {"status": "down", "database": f"unreachable: {e.__class__.__name__}"}, status=503
        )
    return None


def _jobs() -> dict:
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    waited = (timezone.now() - oldest).total_seconds() if oldest else 0
    jobs = {"waiting": ready.count(), "oldest_waiting_seconds": round(waited), "state": "ok"}
    if waited > STALE_JOB_SECONDS:
        jobs["state"] = "stale"
        jobs["problem"] = "jobs are waiting: is `luoshi worker` running and keeping up?"
    return jobs


@login_not_required
def health(request):
    return _database_down() or JsonResponse({"status": "ok", "database": "ok", "jobs": _jobs()})


@login_not_required
def health_jobs(request):
    down = _database_down()
    if down:
        return down
    jobs = _jobs()
    return JsonResponse(jobs, status=200 if jobs["state"] == "ok" else 503)
