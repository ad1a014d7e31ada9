"""Jobs a dead worker left half-done: put back in the queue, or failed after three tries.

django-tasks-db marks a job RUNNING when a worker claims it and never looks back; a worker
killed with SIGKILL (or a power cut) leaves it RUNNING for ever. `luoshi worker` names itself
"<host>-<pid>" and, when it starts, calls `recover_interrupted_jobs()`: a RUNNING job whose
worker is a dead process on this host — or, for another host, one that has been running for
longer than STALE_AFTER — goes back to READY and runs again (our jobs are idempotent: a
document is rebuilt, pending notifications are delivered once). A job interrupted
MAX_ATTEMPTS times is marked failed instead, and its document says so, so nothing loops and
nothing waits silently.
"""

import os
import socket
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from luoshi.audit.chain import record

STALE_AFTER = timedelta(hours=1)
MAX_ATTEMPTS = 3


class JobInterrupted(RuntimeError):
    """Stored as the failed job's exception."""


def worker_id(pid: int | None = None) -> str:
    return f"{socket.gethostname()}-{pid or os.getpid()}"[-64:]


def _is_dead(last_worker: str, started_at, now) -> bool:
    host, _, pid = last_worker.rpartition("-")
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False  # alive, under another user
        return False
    return started_at is None or now - started_at > STALE_AFTER


@transaction.atomic
def recover_interrupted_jobs(now=None) -> dict:
    now = now or timezone.now()
    requeued, failed = [], []
    running = DBTaskResult.objects.running().select_for_update(skip_locked=True)
    for job in running:
        last = job.worker_ids[-1] if job.worker_ids else ""
        if not _is_dead(last, job.started_at, now):
            continue
        if len(job.worker_ids) >= MAX_ATTEMPTS:
            job.set_failed(JobInterrupted(f"worker stopped {len(job.worker_ids)} times"))
            _fail_document(job)
            outcome, done = "failed", failed
        else:
            job.status = TaskResultStatus.READY
            job.save(update_fields=["status"])
            outcome, done = "requeued", requeued
        done.append(str(job.pk))
        record(
            actor=None,
            action="job.recover",
            object_type="job",
            object_id=str(job.pk),
            after={"task": job.task_path, "worker": last, "outcome": outcome},
        )
    return {"requeued": requeued, "failed": failed}


def _fail_document(job) -> None:
    if not job.task_path.endswith("generate_document"):
        return
    from luoshi.publishing.models import GeneratedDocument

    document_id = (job.args_kwargs.get("args") or [None])[0]
    GeneratedDocument.objects.filter(
        pk=document_id, state__in=[GeneratedDocument.State.QUEUED, GeneratedDocument.State.RUNNING]
    ).update(
        state=GeneratedDocument.State.FAILED,
        step="失败",
        error=f"生成过程{MAX_ATTEMPTS}次被中断（服务进程停止），请重新生成；"
        "如再次失败请联系系统管理员。",
    )
