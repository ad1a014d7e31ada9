"""Faults injected into a running Luoshi: kill -9 mid-work, the database going away.

On the demo district in a scratch database, with `luoshi serve` and `luoshi worker` as real
processes:

1. kill -9 of the web server in the middle of a 3,000-row unit import (one request);
2. kill -9 of the web server in the middle of an evaluation run (office pressing 考评);
3. kill -9 of the worker in the middle of generating a bulletin (Word + PDF);
4. the database going away under the running server (SQLite: the file replaced; PostgreSQL:
   the network to it cut at a proxy) and coming back.

After each: nothing is half-written (the import is all there or not at all; a run has every
unit's result or does not exist; the document has both files or none), the audit chain
verifies, the job finishes once the worker is back, the server answers 503 while the
database is away and 200 by itself after. A full disk during an upload is a test in
`make test` (luoshi/tests/test_disk_full.py): it cannot be injected here without root mounts.

    .venv/bin/python bench/faults.py                 # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1/luoshi_faults .venv/bin/python bench/faults.py
"""

import io
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from surge import ROOT, empty_postgres, free_port, wait_for_port  # noqa: E402

PASSWORD = "luoshi-demo-2026"
RESULTS: list[tuple[str, str, str]] = []  # (fault, what happened, what was lost)


class Proxy:
    """A TCP relay between the server and PostgreSQL that can be cut and restored."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.port = free_port()
        self.sockets: list[socket.socket] = []
        self.listener = None

    def start(self):
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=True)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a, b):
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.close()
                except OSError:
                    pass

    def cut(self):
        self.listener.shutdown(
            socket.SHUT_RDWR
        )  # wakes the accepting thread; close() alone does not
        self.listener.close()
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass
        self.sockets = []


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    # A session of its own, so kill -9 reaches gunicorn's master and every worker at once.
    return subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=open(log, "a"), start_new_session=True
    )


def kill9(process: subprocess.Popen) -> None:
    """SIGKILL to the whole process group, then wait until every member is gone: a dying
    gunicorn worker still holds the listening socket, and a new server must not race it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    process.wait()
    for _ in range(200):
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)


def office_session(port: int) -> requests.Session:
    session = requests.Session()
    base = f"http://127.0.0.1:{port}"
    session.get(f"{base}/login/")
    session.post(
        f"{base}/login/",
        data={"username": "office", "password": PASSWORD},
        headers={"X-CSRFToken": session.cookies["csrftoken"], "Referer": f"{base}/login/"},
    )
    assert "sessionid" in session.cookies, "could not log in as office"
    return session


def post_form(session, port, path, data, files=None, timeout=300):
    base = f"http://127.0.0.1:{port}"
    page = session.get(base + path).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return session.post(
        base + path,
        data={**data, "csrfmiddlewaretoken": token},
        files=files,
        headers={"Referer": base + path},
        timeout=timeout,
    )


def units_workbook(rows: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["单位编码", "单位名称", "上级单位", "单位类别"])
    for i in range(rows):
        sheet.append([f"F{i:05d}", f"故障测试{i}村", "城关街道", "村"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def chain_ok() -> str:
    from luoshi.audit.chain import verify_chain

    checked, problem = verify_chain()
    return "intact" if problem is None else f"BROKEN at #{problem.seq}"


def kill_mid_request(name, port, server_cmd, env, log, send, count, settle=1.0):
    """Fire one long request, kill -9 the server while it works, restart, check all-or-nothing."""
    before = count()
    session = office_session(port)
    outcome = {}

    def fire():
        try:
            outcome["status"] = send(session).status_code
        except requests.RequestException as e:
            outcome["error"] = type(e).__name__

    thread = threading.Thread(target=fire)
    thread.start()
    time.sleep(settle)
    server = SERVER["process"]
    kill9(server)
    thread.join()
    after = count()
    SERVER["process"] = start(server_cmd, env, log)
    wait_for_port(port)
    healthy = requests.get(f"http://127.0.0.1:{port}/health/", timeout=30).status_code
    mid = "error" in outcome
    whole = after in (before, before + EXPECT[name])
    RESULTS.append(
        (
            f"kill -9 web server during {name}",
            f"killed {'mid-request' if mid else 'after it answered'}; rows before {before}, "
            f"after {after} ({'none' if after == before else 'all'} of {EXPECT[name]}); "
            f"audit chain {chain_ok()}; after restart /health/ {healthy}",
            "nothing" if whole and healthy == 200 else "PARTIAL WRITE",
        )
    )


SERVER: dict = {}
EXPECT: dict = {}


def main():
    workdir = Path(tempfile.mkdtemp(prefix="luoshi-faults-"))
    env = dict(
        os.environ,
        LUOSHI_VAR_DIR=str(workdir),
        DJANGO_SETTINGS_MODULE="luoshi.settings",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECRET_KEY="faults-only",
        LOGIN_RATE="1000/m",
    )
    database_url = env.get("DATABASE_URL", "")
    database = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    luoshi = str(Path(sys.executable).parent / "luoshi")
    proxy = None
    if database == "PostgreSQL":
        parts = urlsplit(database_url)
        proxy = Proxy(parts.hostname or "127.0.0.1", parts.port or 5432)
        proxy.start()
        netloc = re.sub(r"@[^/]*$", f"@127.0.0.1:{proxy.port}", parts.netloc)
        server_env = dict(env, DATABASE_URL=urlunsplit(parts._replace(netloc=netloc)))
        empty_postgres(env["DATABASE_URL"])
    else:
        server_env = env
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    print(f"building the demo district on {database} …", flush=True)
    subprocess.run([luoshi, "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL)

    import django

    django.setup()
    from django.db import connection

    from luoshi.accounts.models import User
    from luoshi.evaluation.models import Run, Scheme
    from luoshi.orgs.models import Unit
    from luoshi.publishing.actions import do_request_document
    from luoshi.publishing.models import GeneratedDocument

    port = free_port()
    log = workdir / "server.log"
    server_cmd = [luoshi, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    SERVER["process"] = start(server_cmd, env, log)
    wait_for_port(port)

    # 1. the import
    rows = 3000
    EXPECT["a 3,000-row unit import"] = rows
    data = units_workbook(rows)
    kill_mid_request(
        "a 3,000-row unit import", port, server_cmd, env, log,
        lambda s: post_form(s, port, "/units/import/", {}, files={"file": ("units.xlsx", data)}),
        lambda: Unit.objects.filter(code__startswith="F").count(),
        settle=2.0,
    )  # fmt: skip

    # 2. an evaluation run
    scheme = Scheme.objects.get(code="town-monthly")
    published = Run.objects.filter(version__scheme=scheme, state="published").last()
    EXPECT["an evaluation run"] = 1

    def complete_runs():
        connection.close()
        runs = Run.objects.filter(version__scheme=scheme, period="2026-10")
        units = published.results.count()  # a complete run of the same scheme
        broken = [r.pk for r in runs if r.results.count() != units]
        return runs.count() + (1000 * len(broken))  # a broken run shows as a huge count

    for settle in (0.3, 0.2, 0.1, 0.05, 0.02):  # a run takes well under a second: aim for it
        kill_mid_request(
            "an evaluation run", port, server_cmd, env, log,
            lambda s: post_form(s, port, "/evaluation/", {"scheme": scheme.pk, "period": "2026-10"}),
            complete_runs,
            settle=settle,
        )  # fmt: skip
        if "mid-request" in RESULTS[-1][1]:
            break

    # 3. the worker, generating a bulletin
    run = Run.objects.filter(state="published").order_by("-pk").first()
    document = do_request_document(run, actor=User.objects.get(username="office"))
    worker_log = workdir / "worker.log"
    worker = start([luoshi, "worker"], env, worker_log)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        document.refresh_from_db()
        if document.state == GeneratedDocument.State.RUNNING:
            break
        time.sleep(0.05)
    state_when_killed = document.state
    kill9(worker)
    document.refresh_from_db()
    half = bool(document.docx) != bool(document.pdf)
    worker = start([luoshi, "worker"], env, worker_log)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        document.refresh_from_db()
        if document.state in (GeneratedDocument.State.DONE, GeneratedDocument.State.FAILED):
            break
        time.sleep(0.5)
    kill9(worker)
    done = document.state == GeneratedDocument.State.DONE and document.docx and document.pdf
    RESULTS.append(
        (
            "kill -9 worker during a bulletin",
            f"killed while {state_when_killed}; half-written files: {'yes' if half else 'no'}; "
            f"after restart the job was requeued and the document is {document.state}",
            "nothing" if done and not half else "DOCUMENT NOT FINISHED",
        )
    )

    # 4. the database goes away and comes back (PostgreSQL: the server talks to it via the proxy)
    kill9(SERVER["process"])
    SERVER["process"] = start(server_cmd, server_env, log)
    wait_for_port(port)
    base = f"http://127.0.0.1:{port}"
    session = office_session(port)
    assert session.get(f"{base}/supervision/").status_code == 200
    if database == "SQLite":
        path = Path(workdir / "luoshi.sqlite3")
        aside = path.with_suffix(".away")
        path.rename(aside)
        path.mkdir()  # a directory where the file was: SQLite cannot open it
    else:
        proxy.cut()
    away = [session.get(f"{base}/supervision/", timeout=60) for _ in range(3)]
    api_away = session.get(f"{base}/api/v1/me", timeout=60).status_code
    if database == "SQLite":
        path.rmdir()
        aside.rename(path)
    else:
        proxy.start()
    back = [session.get(f"{base}/supervision/", timeout=60).status_code for _ in range(4)]
    codes = [r.status_code for r in away]
    clear = all("暂时无法访问" in r.text for r in away)
    RESULTS.append(
        (
            "database away, then back",
            f"while away: pages {codes}, API {api_away}, the page says so: "
            f"{'yes' if clear else 'no'}; once back, with no restart: {back}",
            "nothing" if set(codes) == {503} and clear and back[-1] == 200 else "NOT RECOVERED",
        )
    )
    kill9(SERVER["process"])
    connection.close()

    print()
    print(f"machine: {platform.node()} · {os.cpu_count()} cores · {database}")
    for fault, happened, lost in RESULTS:
        print(f"- {fault}: {happened}. Lost: {lost}")
    print(f"audit chain at the end: {chain_ok()}")
    shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(0 if all(lost == "nothing" for _, _, lost in RESULTS) else 1)


if __name__ == "__main__":
    main()
