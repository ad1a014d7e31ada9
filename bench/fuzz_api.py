"""Fuzz the JSON API with schemathesis, once per role, on a running server with the demo district.

Builds the demo district in a scratch database, gives one API token to a person of each role
(office, leader, township liaison, village liaison, data provider, observer), starts
`luoshi serve`, and runs schemathesis against /api/v1/openapi.json with each token: generated
and boundary inputs for every operation (GET and the writes: weekly reports, values, targets).
Checks: no server error, every response matches its own declared schema and content type.
Afterwards the audit chain must still verify.

    .venv/bin/python bench/fuzz_api.py                 # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1/luoshi_fuzz .venv/bin/python bench/fuzz_api.py
    options: --examples 60 (per operation and role)
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from surge import ROOT, empty_postgres, free_port, wait_for_port  # noqa: E402

# username in the demo district → what the token stands for
ROLES = {
    "office": "office",
    "shuji": "leader who sees all",
    "t01.liaison": "township liaison",
    "t01v01.liaison": "village liaison",
    "tongji.data": "data provider",
    "guancha": "observer",
}
CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"


def make_tokens() -> dict[str, str]:
    import django

    django.setup()
    from luoshi.accounts.actions import do_create_api_token
    from luoshi.accounts.models import User

    keys = {}
    for username in ROLES:
        user = User.objects.get(username=username)
        membership = user.memberships.active().first()
        keys[username] = do_create_api_token(
            user=user, name="fuzz", role=membership.role, unit=membership.unit, actor=user
        )[1]
    return keys


def run_schemathesis(port: int, key: str, examples: int, report: Path):
    """(test cases run, check failures, schemathesis's own errors, last lines) for one token."""
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "run",
        f"http://127.0.0.1:{port}/api/v1/openapi.json",
        "--header",
        f"Authorization: Bearer {key}",
        "--checks",
        CHECKS,
        "--max-examples",
        str(examples),
        "--phases",
        "examples,coverage,fuzzing",
        "--workers",
        "2",
        "--no-color",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report),
    ]
    out = subprocess.run(command, capture_output=True, text=True, cwd=report.parent)
    report.with_suffix(".txt").write_text(out.stdout, encoding="utf-8")
    cases = sum(
        len(((json.loads(line).get("ScenarioFinished") or {}).get("recorder") or {}).get("cases")
            or {})
        for line in report.read_text(encoding="utf-8").splitlines()
    )  # fmt: skip
    found = re.search(r"(\d+) generated", out.stdout)
    cases = max(cases, int(found.group(1)) if found else 0)
    # The closing line, e.g. "=== 1 failure, 2 errors, 2 warnings in 8.96s ===": failures are
    # responses that broke a check; errors are schemathesis's own (reported, not ours).
    closing = [line for line in out.stdout.splitlines() if line.startswith("====")][-1:]
    failures = sum(int(n) for n in re.findall(r"(\d+) failures?\b", "".join(closing)))
    errors = sum(int(n) for n in re.findall(r"(\d+) errors?\b", "".join(closing)))
    if out.returncode and not (failures or errors):
        failures = 1  # it stopped for a reason the summary does not name
    tail = "\n".join(out.stdout.strip().splitlines()[-12:])
    return cases, failures, errors, tail


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=60)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="luoshi-fuzz-"))
    env = dict(
        os.environ,
        LUOSHI_VAR_DIR=str(workdir),
        DJANGO_SETTINGS_MODULE="luoshi.settings",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECRET_KEY="fuzz-only",
        API_RATE="100000/m",  # the fuzzer is one fast client; the limit has its own test
    )
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    luoshi = str(Path(sys.executable).parent / "luoshi")
    if database == "PostgreSQL":
        empty_postgres(env["DATABASE_URL"])
    print(f"building the demo district on {database} …", flush=True)
    subprocess.run([luoshi, "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL)
    keys = make_tokens()

    port = free_port()
    server = subprocess.Popen(
        [luoshi, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(workdir / "server.log", "w"),
    )
    results = []
    started = time.perf_counter()
    try:
        wait_for_port(port)
        for username, key in keys.items():
            cases, failures, errors, tail = run_schemathesis(
                port, key, args.examples, workdir / f"{username}.ndjson"
            )
            results.append((username, cases, failures, errors))
            print(
                f"{ROLES[username]:<20} {cases:>6} test cases  {failures} failures  "
                f"{errors} schemathesis errors",
                flush=True,
            )
            if failures or errors:
                print(f"{tail}\n(full output: {workdir / username}.txt)")
    finally:
        server.terminate()
        server.wait(timeout=30)

    from luoshi.audit.chain import verify_chain

    checked, problem = verify_chain()
    server_errors = (workdir / "server.log").read_text(encoding="utf-8").count("Traceback")
    total = sum(r[1] for r in results)
    failed = sum(r[2] for r in results)
    tool_errors = sum(r[3] for r in results)
    print()
    print(f"machine: {platform.node()} · {os.cpu_count()} cores · {database}")
    print(f"schemathesis checks: {CHECKS}; {args.examples} examples per operation and role")
    print(f"{total} test cases over {len(results)} roles in {time.perf_counter() - started:.0f} s")
    print(
        f"failures: {failed}; tracebacks in the server log: {server_errors}; "
        f"schemathesis's own errors (no request answered wrongly): {tool_errors}"
    )
    print(f"audit chain: {'intact' if problem is None else 'BROKEN'} ({checked} events)")
    sys.exit(0 if failed == 0 and server_errors == 0 and problem is None else 1)


if __name__ == "__main__":
    main()
