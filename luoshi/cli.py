"""The `luoshi` command.

`luoshi serve` and `luoshi worker` start processes; everything else is a Django
management command (`luoshi demo`, `luoshi audit verify`, `luoshi migrate` …).
"""

import os
import sys


def _serve(argv: list[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="luoshi serve", description="Serve Luoshi with gunicorn.")
    parser.add_argument("--bind", default=os.environ.get("LUOSHI_BIND", "127.0.0.1:8000"))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
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
