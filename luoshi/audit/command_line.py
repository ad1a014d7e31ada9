"""What `luoshi audit verify` and `luoshi restore` share: reading checkpoint and key files
named on the command line, and telling people what a verification found."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone

from . import signing
from .checkpoint import Checkpoint, CheckpointError


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
