"""A worker killed mid-job: the next worker to start puts the job back, or fails it after three
interruptions — never leaves it RUNNING for ever (the kill -9 itself: bench/faults.py)."""

import socket
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from luoshi.audit.models import AuditEvent
from luoshi.ops.jobs import recover_interrupted_jobs, worker_id
from luoshi.publishing.actions import do_request_document
from luoshi.publishing.jobs import generate_document
from luoshi.publishing.models import GeneratedDocument
from luoshi.publishing.tests.conftest import published, scheme  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def running_job(document, workers, started=None):
    job = DBTaskResult.objects.get(pk=generate_document.enqueue(document.pk).id)
    job.status, job.worker_ids = "RUNNING", workers
    job.started_at = started or timezone.now()
    job.save()
    return job


def test_a_dead_workers_job_is_requeued_a_live_ones_is_left(people, published):  # noqa: F811
    document = do_request_document(published, actor=people.office)
    orphan = running_job(document, [worker_id(dead_pid())])
    busy = running_job(document, [worker_id()])  # this very process: alive
    outcome = recover_interrupted_jobs()
    assert outcome == {"requeued": [str(orphan.pk)], "failed": []}
    assert DBTaskResult.objects.get(pk=orphan.pk).status == "READY"
    assert DBTaskResult.objects.get(pk=busy.pk).status == "RUNNING"
    assert AuditEvent.objects.filter(action="job.recover", object_id=str(orphan.pk)).exists()


def test_another_hosts_job_is_requeued_only_when_stale(people, published):  # noqa: F811
    document = do_request_document(published, actor=people.office)
    fresh = running_job(document, ["elsewhere-123"])
    stale = running_job(document, ["elsewhere-456"], started=timezone.now() - timedelta(hours=2))
    assert recover_interrupted_jobs()["requeued"] == [str(stale.pk)]
    assert DBTaskResult.objects.get(pk=fresh.pk).status == "RUNNING"


def test_third_interruption_fails_the_job_and_says_so_on_the_document(people, published):  # noqa: F811
    document = do_request_document(published, actor=people.office)
    GeneratedDocument.objects.filter(pk=document.pk).update(state="running")
    host = socket.gethostname()
    job = running_job(document, [f"{host}-{dead_pid()}" for _ in range(3)])
    assert recover_interrupted_jobs()["failed"] == [str(job.pk)]
    assert DBTaskResult.objects.get(pk=job.pk).status == "FAILED"
    document.refresh_from_db()
    assert document.state == "failed" and "重新生成" in document.error
