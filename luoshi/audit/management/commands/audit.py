from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from luoshi.audit import lockdown, signing
from luoshi.audit.chain import seal_pending
from luoshi.audit.checkpoint import Checkpoint, CheckpointError
from luoshi.audit.routine import ChainBroken, send_checkpoint, take_checkpoint
from luoshi.audit.verify import verify


def read_checkpoints(paths) -> list[Checkpoint]:
    """Checkpoint files (or saved messages containing one) given on the command line."""
    out = []
    for path in paths or ():
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as e:
            raise CommandError(f"cannot read checkpoint {path}: {e.strerror}") from e
        try:
            out.append(Checkpoint.from_json(text, source=str(path)))
        except CheckpointError as e:
            raise CommandError(str(e)) from e
    return out


def read_public_keys(paths) -> list:
    keys = []
    for path in paths or ():
        try:
            keys += signing.load_public_keys(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError, signing.AuditKeyError) as e:
            raise CommandError(f"cannot read public key {path}: {e}") from e
    return keys


def describe(result) -> list[str]:
    """What a verification found, one line each, for people."""
    lines = []
    for checkpoint, outcome in result.anchors:
        if checkpoint.source != "stored" or outcome != "holds":
            lines.append(f"checkpoint {checkpoint.label} ({checkpoint.source}): {outcome}")
    stored = sum(1 for c, o in result.anchors if c.source == "stored" and o == "holds")
    if stored:
        lines.append(f"{stored} stored checkpoints hold")
    if not result.keys_known:
        lines.append("signatures NOT checked: no audit key here (give --public-key)")
    if result.unsealed:
        age = (timezone.now() - result.oldest_unsealed).total_seconds()
        lines.append(
            f"{result.unsealed} newer events not sealed yet (oldest {age:.0f} s ago): not part "
            "of the chain until the sealer reaches them (`luoshi audit seal`)"
        )
    return lines


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
