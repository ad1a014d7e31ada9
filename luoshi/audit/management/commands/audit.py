from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from luoshi.audit import lockdown, signing
from luoshi.audit.chain import seal_pending
from luoshi.audit.checkpoint import CheckpointError
from luoshi.audit.command_line import describe, read_checkpoints, read_public_keys
from luoshi.audit.routine import ChainBroken, send_checkpoint, take_checkpoint
from luoshi.audit.verify import verify


class Command(BaseCommand):
    help = (
        "Audit trail tools: verify [--checkpoint FILE …] · checkpoint [--out FILE] [--send] · "
        "seal · public-key · lock-down --role ROLE [--print]"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "what", choices=["verify", "checkpoint", "seal", "public-key", "lock-down"]
        )
        parser.add_argument(
            "--checkpoint", action="append", metavar="FILE", help="verify: a checkpoint held outside (repeatable)"
        )  # fmt: skip
        parser.add_argument(
            "--public-key", action="append", metavar="FILE", help="verify: a trusted public key (PEM; repeatable)"
        )  # fmt: skip
        parser.add_argument("--out", help="checkpoint: also write it to this file")
        parser.add_argument(
            "--send", action="store_true", help="checkpoint: send it to the holders"
        )
        parser.add_argument("--role", help="lock-down: the role the application connects as")
        parser.add_argument("--print", action="store_true", help="lock-down: print the SQL only")

    def handle(self, *args, what, **options):
        getattr(self, "do_" + what.replace("-", "_"))(**options)

    def do_verify(self, *, checkpoint, public_key, **_):
        try:
            result = verify(read_checkpoints(checkpoint), read_public_keys(public_key))
        except CheckpointError as e:
            raise CommandError(str(e)) from e
        for line in describe(result):
            self.stdout.write(line)
        if result.problem is not None:
            raise CommandError(
                f"audit chain broken at event #{result.problem.seq}: {result.problem.reason} "
                f"({result.checked} events re-hashed and linked)"
            )
        self.stdout.write(
            f"audit chain intact: {result.checked} events verified "
            f"({result.signatures_checked} signatures checked), head #{result.head_seq}"
        )

    def do_checkpoint(self, *, out, send, **_):
        try:
            checkpoint = take_checkpoint(Path(out) if out else None)
        except (ChainBroken, signing.AuditKeyError) as e:
            raise CommandError(str(e)) from e
        self.stdout.write(checkpoint.to_json())
        if send:
            self.stderr.write(f"sent to {send_checkpoint(checkpoint)} holders and addresses")

    def do_seal(self, **_):
        self.stdout.write(f"sealed {seal_pending()} events")

    def do_public_key(self, **_):
        key = signing.private_key().public_key()
        self.stdout.write(signing.public_key_pem(key).strip())
        self.stderr.write(f"key id {signing.key_id(key)} ({signing.key_path()})")

    def do_lock_down(self, *, role, print, **_):  # noqa: A002 — the option's name
        role = role or lockdown.configured_role()
        if not role:
            raise CommandError("name the application's database role: --role NAME")
        if print:
            self.stdout.write(lockdown.sql(role))
            return
        try:
            lockdown.apply(role)
        except lockdown.LockDownError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"audit tables locked down for role {role}")
