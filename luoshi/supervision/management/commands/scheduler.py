import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from luoshi.audit.routine import audit_tick
from luoshi.notify.jobs import deliver_pending, queue_digests
from luoshi.notify.models import Delivery
from luoshi.projects.jobs import project_tick
from luoshi.supervision.actions import run_scheduler_tick

DIGEST_HOUR = 7


class Command(BaseCommand):
    help = (
        "Periodic work: lights, reminders, automatic 催办/督办单, daily digests. "
        "Safe to run on several machines at once; every message is sent once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run one pass and exit")
        parser.add_argument(
            "--interval", type=int, default=300, help="seconds between passes (default 300)"
        )

    def handle(self, *args, once=False, interval=300, **options):
        while True:
            counts = run_scheduler_tick()
            counts.update(project_tick())
            counts.update(audit_tick())  # seal stragglers; the daily signed checkpoint, sent out
            now = timezone.localtime()
            if now.hour == DIGEST_HOUR:
                counts["digests"] = queue_digests(now)
            if Delivery.objects.filter(state=Delivery.State.PENDING).exists():
                deliver_pending.enqueue()
            self.stdout.write(f"{now:%Y-%m-%d %H:%M:%S} {counts}")
            if once:
                return
            time.sleep(interval)
            # A long-lived process: drop a connection the database may have closed meanwhile.
            close_old_connections()
