"""GET /health/: for monitors and load balancers. 200 when the database answers and the job
queue is moving; 503 naming what is wrong otherwise. No log-in, no personal data."""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone

# A job waiting longer than this means no `luoshi worker` is running.
STALE_JOB_SECONDS = 600


@login_not_required
def health(request):
    checks, ok = {}, True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except DatabaseError as e:
        return JsonResponse(
            {"status": "down", "database": f"unreachable: {e.__class__.__name__}"}, status=503
        )
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    waited = (timezone.now() - oldest).total_seconds() if oldest else 0
    checks["jobs"] = {"waiting": ready.count(), "oldest_waiting_seconds": round(waited)}
    if waited > STALE_JOB_SECONDS:
        ok = False
        checks["jobs"]["problem"] = "jobs are waiting: is `luoshi worker` running?"
    return JsonResponse({"status": "ok" if ok else "degraded", **checks}, status=200 if ok else 503)
