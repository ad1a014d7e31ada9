"""Monday-morning surge: 400 liaisons submit their weekly progress at the same moment.

Starts `luoshi serve` as a real server process on a fresh database, gives every
liaison a task and an API token, fires all submissions at once from 400
threads, and then checks that every submission is stored exactly once (one
report row, one audit event, an intact audit chain).

Baseline in the same run: the same 400 clients each asking GET /api/v1/me, the
cheapest authenticated request; the ratio says what a submission costs beyond
the server's fixed per-request work.

    .venv/bin/python bench/surge.py                      # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1/luoshi_bench .venv/bin/python bench/surge.py
    options: --clients 400 --workers 2 --threads 4 --job-workers 2
             --audit-seal inline|after-commit (when audit events join the chain; on
             PostgreSQL the run also samples how many requests wait for the chain head)
"""

import argparse
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def empty_postgres(url: str) -> None:
    """Drop every table of the scratch database the bench was given (a flush would also empty
    the built-in rows the migrations write, such as the unit classes)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the server did not start listening on port {port}")


def setup_data(clients: int) -> list[tuple[str, int]]:
    """Units, liaisons, accepted tasks and tokens; returns (token, task id) per liaison."""
    import django

    django.setup()
    from django.core.management import call_command

    from luoshi.accounts.actions import do_add_membership, do_create_api_token, do_create_user
    from luoshi.accounts.models import Role
    from luoshi.directives.actions import do_create_source
    from luoshi.orgs.actions import do_create_unit
    from luoshi.orgs.models import UnitClass
    from luoshi.supervision.actions import do_accept_task, do_assign_task, do_create_task

    call_command("migrate", verbosity=0)
    classes = {c.code: c for c in UnitClass.objects.all()}
    root = do_create_unit(code="B", name="压测区", unit_class=classes["district"], actor=None)
    source = do_create_source(
        kind="meeting", title="压测会议", date=date(2026, 1, 5), owner_unit=root, actor=None
    )
    pairs = []
    for i in range(clients):
        unit = do_create_unit(
            code=f"B{i}", name=f"压测{i}村", unit_class=classes["village"], parent=root, actor=None
        )
        user = do_create_user(
            username=f"b{i}", full_name=f"联络员{i}", password_hash="!", actor=None
        )
        do_add_membership(user=user, unit=unit, role=Role.LIAISON, actor=None)
        task = do_create_task(
            source=source,
            title=f"任务{i}",
            lead_unit=unit,
            deadline=date(2027, 12, 31),
            start_date=date(2026, 1, 5),
            actor=None,
        )
        do_assign_task(task, actor=None)
        do_accept_task(task, actor=None)
        _token, key = do_create_api_token(
            user=user, name="bench", role=Role.LIAISON, unit=unit, actor=None
        )
        pairs.append((key, task.pk))
    return pairs


def fire(
    port: int, requests: list[tuple[str, str, str, dict | None]]
) -> tuple[list[float], list[str], float]:
    """Send every request from its own thread, all released at once. Returns latencies, errors, wall time."""
    barrier = threading.Barrier(len(requests) + 1)
    latencies: list[float] = [0.0] * len(requests)
    errors: list[str] = []

    def one(i, method, path, key, body):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        barrier.wait()
        start = time.perf_counter()
        try:
            conn.request(method, path, body=payload, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status >= 300:
                errors.append(f"{response.status} {path}")
        except OSError as e:
            errors.append(f"{type(e).__name__} {path}")
        latencies[i] = time.perf_counter() - start
        conn.close()

    threads = [threading.Thread(target=one, args=(i, *r)) for i, r in enumerate(requests)]
    for t in threads:
        t.start()
    barrier.wait()
    wall_start = time.perf_counter()
    for t in threads:
        t.join()
    return latencies, errors, time.perf_counter() - wall_start


class HeadWaitSampler(threading.Thread):
    """PostgreSQL: every 20 ms, how many server backends wait for a lock, and how many of
    those wait on the audit chain head row (their statement names its table)."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.samples, self.stop = url, [], threading.Event()

    def run(self):
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop.is_set():
                self.samples.append(conn.execute(
                    "SELECT count(*), count(*) FILTER (WHERE query ILIKE '%%audit_auditchainhead%%')"
                    " FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    " AND datname = current_database()"
                ).fetchone())  # fmt: skip
                time.sleep(0.02)

    def summary(self) -> str:
        if not self.samples:
            return "no samples"
        on_head = [h for _all, h in self.samples]
        waiting = [a for a, _h in self.samples]
        return (
            f"requests waiting on the audit chain head: mean {statistics.mean(on_head):.1f}, "
            f"max {max(on_head)}; on any lock: mean {statistics.mean(waiting):.1f}, "
            f"max {max(waiting)} ({len(self.samples)} samples)"
        )


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summarise(name, latencies, errors, wall):
    return {
        "name": name,
        "requests": len(latencies),
        "per_second": len(latencies) / wall,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * percentile(latencies, 99),
        "errors": len(errors),
        "wall_s": wall,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--job-workers", type=int, default=2, help="`luoshi worker` processes running alongside"
    )
    parser.add_argument("--audit-seal", choices=["inline", "after-commit"])
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="luoshi-surge-")
    env = dict(
        os.environ,
        LUOSHI_VAR_DIR=workdir,
        DJANGO_SETTINGS_MODULE="luoshi.settings",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECRET_KEY="bench-only",
    )
    if args.audit_seal:
        env["AUDIT_SEAL"] = args.audit_seal
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    if database == "PostgreSQL":
        empty_postgres(env["DATABASE_URL"])
    print(f"setting up {args.clients} liaisons on {database} …", flush=True)
    pairs = setup_data(args.clients)

    port = free_port()
    luoshi = str(Path(sys.executable).parent / "luoshi")
    server = subprocess.Popen(
        [
            luoshi,
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    job_workers = [
        subprocess.Popen(
            [luoshi, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for _ in range(args.job_workers)
    ]
    try:
        wait_for_port(port)
        fire(
            port, [("GET", "/api/v1/me", key, None) for key, _t in pairs[:20]]
        )  # warm up the workers
        baseline = summarise(
            "baseline: GET /api/v1/me",
            *fire(port, [("GET", "/api/v1/me", key, None) for key, _t in pairs]),
        )
        body = {"text": "本周完成入户走访，整改问题3个。", "percent": 40}
        sampler = HeadWaitSampler(env["DATABASE_URL"]) if database == "PostgreSQL" else None
        if sampler:
            sampler.start()
        surge = summarise(
            "surge: POST weekly progress",
            *fire(
                port, [("POST", f"/api/v1/tasks/{task}/reports", key, body) for key, task in pairs]
            ),
        )
        if sampler:
            sampler.stop.set()
            sampler.join()
    finally:
        for process in [server, *job_workers]:
            process.terminate()
            process.wait(timeout=30)

    from django.conf import settings

    from luoshi.audit.chain import seal_pending, verify_chain
    from luoshi.audit.models import AuditEvent
    from luoshi.supervision.models import ProgressReport

    stored = ProgressReport.objects.count()
    per_task = ProgressReport.objects.values("task").distinct().count()
    events = AuditEvent.objects.filter(action="report.submit").count()
    left_unsealed = seal_pending()  # what the web processes' own sealing had not reached
    checked, problem = verify_chain()
    exactly_once = stored == per_task == events == args.clients - surge["errors"]
    ratio = surge["per_second"] / baseline["per_second"]

    print()
    print(
        f"machine: {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · {database}"
    )
    print(
        f"server: luoshi serve (gunicorn) --workers {args.workers} --threads {args.threads}; "
        f"{args.job_workers} luoshi worker processes; AUDIT_SEAL={settings.AUDIT_SEAL}"
    )
    for row in (baseline, surge):
        print(
            f"{row['name']:<30} {row['requests']} requests  {row['per_second']:.1f}/s  "
            f"p50 {row['p50_ms']:.0f} ms  p99 {row['p99_ms']:.0f} ms  errors {row['errors']}"
        )
    print(f"submission throughput / baseline throughput = {ratio:.2f}")
    if sampler:
        print(f"during the surge, {sampler.summary()}")
    print(
        f"stored: {stored} reports for {per_task} tasks, {events} audit events, chain "
        f"{'intact' if problem is None else 'BROKEN at #' + str(problem.seq)} ({checked} events; "
        f"{left_unsealed} left for the sealer after the server stopped)"
    )
    print("exactly once: " + ("yes" if exactly_once else "NO"))
    sys.exit(0 if exactly_once and problem is None and surge["errors"] == 0 else 1)


if __name__ == "__main__":
    main()
