"""The `luoshi` command.

`luoshi serve` and `luoshi worker` start processes; everything else is a Django
management command (`luoshi demo`, `luoshi audit verify`, `luoshi migrate` …).
"""

import os
import sys


def bind_is_loopback(bind: str) -> bool:
    """Whether a gunicorn --bind reaches this machine only (loopback address or unix socket)."""
    import ipaddress

    if bind.startswith("unix:"):
        return True
    host = bind.rsplit(":", 1)[0] if ":" in bind else bind
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name may resolve anywhere


def check_bind(bind: str, proxies: int, secure: bool) -> str | None:
    """Refuse a bind where forwarded headers could be forged; warn about plain HTTP.

    Returns a warning to print, or raises SystemExit with the reason."""
    if proxies > 0 and not bind_is_loopback(bind):
        raise SystemExit(
            f"luoshi serve: PROXIES={proxies} trusts X-Forwarded-For and X-Forwarded-Proto, "
            f"but --bind {bind} lets anyone reach gunicorn directly and forge them. Bind "
            "127.0.0.1:8000 (or a unix socket) behind nginx, or set PROXIES=0."
        )
    if not secure:
        return (
            "luoshi serve: SECURE_COOKIES is off, so this is plain HTTP: passwords and session "
            "cookies cross the network readable. Production runs behind nginx with TLS and "
            "SECURE_COOKIES=1 PROXIES=1 (docs/OPERATIONS.md)."
        )
    return None


def _serve(argv: list[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="luoshi serve", description="Serve Luoshi with gunicorn.")
    parser.add_argument("--bind", default=os.environ.get("LUOSHI_BIND", "127.0.0.1:8000"))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
    secure = os.environ.get("SECURE_COOKIES", "0").lower() in {"1", "true", "yes", "on"}
    warning = check_bind(args.bind, int(os.environ.get("PROXIES", "0") or 0), secure)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    command = [
        gunicorn,
        "luoshi.wsgi:application",
        "--bind",
        args.bind,
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--access-logfile",
        "-",
    ]
    os.execv(gunicorn, command)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    argv = sys.argv[1:]
    if argv[:1] == ["serve"]:
        _serve(argv[1:])
        return
    if argv[:1] == ["score"]:
        # The engine alone on files: no settings, no database.
        from luoshi.evaluation.engine.coinr import main as score

        sys.exit(score(argv[1:]))
    if argv[:1] == ["import-speech"]:
        argv = ["import_speech", *argv[1:]]
    if argv[:1] == ["worker"]:
        # Durable job rows, processed by django-tasks-db's worker, named after this process so
        # that the next worker to start can tell a job whose worker died (luoshi/ops/jobs.py).
        import django

        django.setup()
        from luoshi.ops.jobs import MAX_ATTEMPTS, recover_interrupted_jobs, worker_id

        outcome = recover_interrupted_jobs()
        if outcome["requeued"] or outcome["failed"]:
            print(f"interrupted jobs: {len(outcome['requeued'])} requeued, "
                  f"{len(outcome['failed'])} failed after {MAX_ATTEMPTS} tries", flush=True)  # fmt: skip
        argv = ["db_worker", "--queue-name", "*", "--worker-id", worker_id(), *argv[1:]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["luoshi", *argv])


if __name__ == "__main__":
    main()
