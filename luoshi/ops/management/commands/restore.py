from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from luoshi.audit.checkpoint import CheckpointError
from luoshi.audit.command_line import describe, read_checkpoints, read_public_keys
from luoshi.audit.verify import verify
from luoshi.ops.backup import restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup into an empty database (migrated first), check every table and the "
        "audit chain, against the checkpoints given (files kept outside the database)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--checkpoint", action="append", metavar="FILE",
            help="an audit checkpoint taken before the backup (repeatable)",
        )  # fmt: skip
        parser.add_argument("--public-key", action="append", metavar="FILE")

    def handle(self, *args, file, checkpoint=None, public_key=None, **options):
        from luoshi.orgs.models import Unit

        checkpoints = read_checkpoints(checkpoint)
        keys = read_public_keys(public_key)
        call_command("migrate", interactive=False, verbosity=0)
        if Unit.objects.exists():
            raise CommandError("the database is not empty: restore into a new database")
        outcome = {}

        def check_audit_chain():
            try:
                result = verify(checkpoints, keys)
            except CheckpointError as e:
                raise ValueError(str(e)) from e
            if result.problem is not None:
                raise ValueError(
                    f"audit chain broken at event #{result.problem.seq}: {result.problem.reason}"
                    " (a checkpoint newer than the backup also ends up here: give the ones taken"
                    " before it)"
                )
            outcome["result"] = result

        try:
            manifest = restore_backup(file, check=check_audit_chain)
        except ValueError as e:
            raise CommandError(f"{e}; nothing was restored") from e
        result = outcome["result"]
        for line in describe(result):
            self.stdout.write(line)
        self.stdout.write(
            f"restored {len(manifest['tables'])} tables, identical to the backup; audit chain "
            f"intact ({result.checked} events; checkpoints given: {len(checkpoints)}, all hold)"
        )
