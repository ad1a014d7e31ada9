"""Soak: mixed traffic for a long stretch on 4 web processes and 2 job workers.

On the demo district in a scratch database: liaisons submit weekly reports through the API
(each to its own task and a new week, so every success must leave exactly one report and one
audit event), read their task lists; the office and the leaders open the task list, a league
table and the dashboard; every 30 seconds the office asks for a bulletin (Word + PDF, built by
the workers). Recorded per interval: requests, errors, p50/p99 latency, memory (RSS) of the
web and worker processes. At the end: reports stored = submissions answered 2xx, no doubles,
every bulletin finished, the audit chain intact.

Baseline in the same run: the first interval's p50 and memory; the summary gives the last
interval's as a ratio to it (drift).

    .venv/bin/python bench/soak.py --minutes 30
    DATABASE_URL=postgres://postgres@127.0.0.1/luoshi_soak .venv/bin/python bench/soak.py --minutes 30
    options: --minutes 30 --clients 8 --web 4 --workers 2 --interval 300
"""

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

sys.path.insert(0, str(Path(__file__).resolve().parent))
from faults import PASSWORD, kill9, office_session, start  # noqa: E402
from surge import ROOT, empty_postgres, free_port, percentile, wait_for_port  # noqa: E402

LIAISONS = 60


def prepare(liaisons: int):
    """One fresh task per liaison (so each report is new), their API tokens, a published run."""
    import django

    django.setup()
    from luoshi.accounts.actions import do_create_api_token
    from luoshi.accounts.models import Membership, Role, User
    from luoshi.directives.models import Source
    from luoshi.evaluation.models import Run
    from luoshi.supervision.actions import do_accept_task, do_assign_task, do_create_task

    office = User.objects.get(username="office")
    source = Source.objects.order_by("pk").first()
    people = []
    memberships = (
        Membership.objects.active()
        .filter(role=Role.LIAISON)
        .select_related("user", "unit")
        .order_by("unit__path")[:liaisons]
    )
    for m in memberships:
        task = do_create_task(
            source=source, title=f"压力测试任务（{m.unit.name}）", lead_unit=m.unit,
            deadline=date(2027, 12, 31), start_date=date(2020, 1, 6), actor=office,
        )  # fmt: skip
        do_assign_task(task, actor=office)
        do_accept_task(task, actor=m.user)
        key = do_create_api_token(user=m.user, name="soak", role=m.role, unit=m.unit, actor=m.user)[
            1
        ]
        people.append((key, task.pk))
    run = Run.objects.filter(state="published").order_by("-pk").first()
    return people, run.pk, [t for _, t in people]


def rss_by_group(pgid: int) -> int:
    """Resident memory of every process in a process group, in MiB."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(stat[2]) == pgid:
                total += int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    return total // (1024 * 1024)


class Traffic:
    def __init__(self, port, people, run_id, leaders):
        self.base = f"http://127.0.0.1:{port}"
        self.people = people
        self.run_id = run_id
        self.leaders = leaders
        self.lock = threading.Lock()
        self.samples: list[tuple[float, str, float, int]] = []  # (t, kind, seconds, status)
        self.submitted: list[tuple[int, str]] = []  # (task, week) answered 2xx
        self.next_week = {task: 0 for _, task in people}
        self.documents = 0

    def week_for(self, task) -> str:
        with self.lock:
            n = self.next_week[task]
            self.next_week[task] += 1
        monday = date(2026, 11, 16) - timedelta(weeks=n)
        return monday.isoformat()

    def one(self, session_pool):
        roll = random.random()
        key, task = random.choice(self.people)
        auth = {"Authorization": f"Bearer {key}"}
        start = time.perf_counter()
        if roll < 0.5:
            kind, week = "report", self.week_for(task)
            r = requests.post(
                f"{self.base}/api/v1/tasks/{task}/reports",
                json={"text": "本周完成入户走访，整改问题3个。", "percent": 40, "week": week},
                headers=auth,
                timeout=120,
            )
            if 200 <= r.status_code < 300:
                with self.lock:
                    self.submitted.append((task, week))
        elif roll < 0.7:
            kind = "tasks api"
            r = requests.get(f"{self.base}/api/v1/tasks", headers=auth, timeout=120)
        else:
            kind, path = random.choice(
                [
                    ("task list", "/supervision/"),
                    ("league table", f"/results/runs/{self.run_id}/"),
                    ("dashboard", "/results/dashboard/"),
                    ("home", "/"),
                ]
            )
            r = random.choice(session_pool).get(self.base + path, timeout=120)
        elapsed = time.perf_counter() - start
        with self.lock:
            self.samples.append((time.monotonic(), kind, elapsed, r.status_code))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--web", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--interval", type=int, default=300, help="seconds per reported row")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="luoshi-soak-"))
    env = dict(
        os.environ,
        LUOSHI_VAR_DIR=str(workdir),
        DJANGO_SETTINGS_MODULE="luoshi.settings",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECRET_KEY="soak-only",
        LOGIN_RATE="1000/m",
    )
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    luoshi = str(Path(sys.executable).parent / "luoshi")
    if database == "PostgreSQL":
        empty_postgres(env["DATABASE_URL"])
    print(f"building the demo district on {database} …", flush=True)
    subprocess.run([luoshi, "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL)
    people, run_id, tasks = prepare(LIAISONS)

    port = free_port()
    web = start(
        [luoshi, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(args.web)],
        env,
        workdir / "server.log",
    )
    workers = [start([luoshi, "worker"], env, workdir / "worker.log") for _ in range(args.workers)]
    wait_for_port(port)
    traffic = Traffic(port, people, run_id, None)
    office = office_session(port)
    leader = requests.Session()
    leader.get(f"http://127.0.0.1:{port}/login/")
    leader.post(
        f"http://127.0.0.1:{port}/login/",
        data={"username": "shuji", "password": PASSWORD},
        headers={"X-CSRFToken": leader.cookies["csrftoken"]},
    )
    sessions = [office, leader]
    for session in sessions:
        # As a browser does: a GET whose kept-alive connection the server had just closed is
        # sent again on a new one (gunicorn closes idle connections after 2 s). Never a POST.
        session.mount("http://", HTTPAdapter(max_retries=Retry(total=2, allowed_methods={"GET"})))

    stop = time.monotonic() + args.minutes * 60
    began = time.monotonic()
    memory: list[tuple[float, int, int]] = []

    def client():
        while time.monotonic() < stop:
            try:
                traffic.one(sessions)
            except requests.RequestException as e:
                with traffic.lock:
                    traffic.samples.append((time.monotonic(), "error", 0.0, 0))
                print("request failed:", e, flush=True)

    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    for t in threads:
        t.start()
    next_document = time.monotonic()
    while time.monotonic() < stop:
        now = time.monotonic()
        if now >= next_document:
            response = office.post(
                f"http://127.0.0.1:{port}/results/runs/{run_id}/documents/",
                data={"csrfmiddlewaretoken": office.cookies["csrftoken"], "kind": "bulletin"},
                headers={"Referer": f"http://127.0.0.1:{port}/results/runs/{run_id}/"},
                timeout=120,
            )
            traffic.documents += response.status_code in (200, 302)
            next_document = now + 30
        memory.append(
            (now - began, rss_by_group(web.pid), sum(rss_by_group(w.pid) for w in workers))
        )
        time.sleep(5)
    for t in threads:
        t.join()

    import django

    django.setup()
    from luoshi.audit.chain import verify_chain
    from luoshi.audit.models import AuditEvent
    from luoshi.publishing.models import GeneratedDocument
    from luoshi.supervision.models import ProgressReport

    deadline = time.monotonic() + 600
    pending = GeneratedDocument.objects.exclude(state__in=["done", "failed"])
    while pending.exists() and time.monotonic() < deadline:
        time.sleep(2)
    kill9(web)
    for w in workers:
        kill9(w)

    reports = ProgressReport.objects.filter(task_id__in=tasks)
    stored = reports.count()
    distinct = reports.values("task", "week").distinct().count()
    events = AuditEvent.objects.filter(
        action="report.submit",
        object_id__in=[str(pk) for pk in reports.values_list("pk", flat=True)],
    ).count()
    docs = GeneratedDocument.objects.filter(kind="bulletin")
    done = docs.filter(state="done").count()
    checked, problem = verify_chain()

    print()
    print(
        f"machine: {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · {database}"
    )
    print(
        f"{args.minutes:g} min, {args.clients} clients, {args.web} web processes, {args.workers} workers"
    )
    print("interval  requests  errors  p50 ms  p99 ms  web MiB  workers MiB")
    rows = []
    for start_s in range(0, int(args.minutes * 60), args.interval):
        window = [s for s in traffic.samples if start_s <= s[0] - began < start_s + args.interval]
        mem = [m for m in memory if start_s <= m[0] < start_s + args.interval] or memory[-1:]
        if not window:
            continue
        times = [s[2] for s in window if s[1] != "error"]
        errors = sum(1 for s in window if s[3] == 0 or s[3] >= 400)
        row = (start_s // 60, len(window), errors, 1000 * statistics.median(times),
               1000 * percentile(times, 99), max(m[1] for m in mem), max(m[2] for m in mem))  # fmt: skip
        rows.append(row)
        print(
            f"{row[0]:>4} min {row[1]:>9} {row[2]:>7} {row[3]:>7.0f} {row[4]:>7.0f} {row[5]:>8} {row[6]:>12}"
        )
    total = len(traffic.samples)
    errors = sum(r[2] for r in rows)
    print(f"requests: {total} ({total / (args.minutes * 60):.1f}/s), errors: {errors}")
    print(f"reports: {len(traffic.submitted)} answered 2xx, {stored} stored, {distinct} distinct, "
          f"{events} audit events")  # fmt: skip
    print(f"bulletins: {traffic.documents} requested, {done} finished")
    if rows:
        print(f"drift, last interval / first: p50 ×{rows[-1][3] / rows[0][3]:.2f}, "
              f"web memory ×{rows[-1][5] / max(rows[0][5], 1):.2f}")  # fmt: skip
    print(f"audit chain: {'intact' if problem is None else 'BROKEN'} ({checked} events)")
    ok = (
        errors == 0
        and stored == distinct == events == len(traffic.submitted)
        and done == traffic.documents == docs.count()
        and problem is None
    )
    print("nothing lost or doubled: " + ("yes" if ok else "NO"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
