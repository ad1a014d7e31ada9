"""The checkpoint: a signed statement that the audit chain held a given head at a given seq.

One checkpoint is a few hundred bytes of JSON, short enough for a group-robot message, so
observers can keep every one they are sent. The signature covers the format name, seq, head
and time; the key id and public key ride along so that a reader knows which key to ask for.

    {"format": "luoshi-audit-checkpoint/1", "id": "32470:1a2b3c4d5e6f7a8b", "seq": 32470,
     "head": "1a2b…", "time": "2026-11-23T07:00:00.123456+08:00", "key_id": "…",
     "public_key": "…base64…", "signature": "…base64…"}
"""

import base64
import json
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from . import signing
from .models import AuditCheckpoint

FORMAT = "luoshi-audit-checkpoint/1"


class CheckpointError(ValueError):
    """A checkpoint that cannot be read, or whose signature does not hold."""


@dataclass
class Checkpoint:
    seq: int
    head: str
    time: datetime
    key_id: str
    signature: str
    public_key: str = ""  # base64 of the 32 bytes, informative only: trust comes from key_id
    source: str = ""  # where it came from, for messages: a file name or "stored"

    @property
    def label(self) -> str:
        return f"{self.seq}:{self.head[:16]}"

    def message(self) -> bytes:
        return f"{FORMAT}\n{self.seq}\n{self.head}\n{self.time.isoformat()}".encode()

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "id": self.label,
                "seq": self.seq,
                "head": self.head,
                "time": self.time.isoformat(),
                "key_id": self.key_id,
                "public_key": self.public_key,
                "signature": self.signature,
            },
            ensure_ascii=False,
        )

    def signed_by(self, keys: dict[str, Ed25519PublicKey]) -> bool:
        key = keys.get(self.key_id)
        return key is not None and signing.signature_holds(key, self.signature, self.message())

    def check(self, keys: dict[str, Ed25519PublicKey]) -> None:
        """Raise CheckpointError unless a trusted key signed exactly this content."""
        if self.key_id not in keys:
            raise CheckpointError(
                f"checkpoint {self.label} ({self.source}) is signed by key {self.key_id}, which "
                "this verification does not know: give its public key with --public-key"
            )
        if not self.signed_by(keys):
            raise CheckpointError(
                f"checkpoint {self.label} ({self.source}) does not carry a valid signature: "
                "it was altered or not made by Luoshi"
            )

    @classmethod
    def create(cls, seq: int, head: str, time: datetime) -> "Checkpoint":
        public = signing.private_key().public_key()
        checkpoint = cls(seq, head, time, signing.key_id(public), "", public_key=base64.b64encode(
            signing.public_bytes(public)).decode())  # fmt: skip
        checkpoint.signature = signing.sign(checkpoint.message())
        return checkpoint

    @classmethod
    def from_json(cls, text: str, source: str = "") -> "Checkpoint":
        """Read a checkpoint file or message; the JSON may be surrounded by other text (an
        e-mail's greeting), so the first {…} holding the format name is taken."""
        start = text.find("{")
        end = text.rfind("}")
        try:
            data = json.loads(text[start : end + 1]) if start >= 0 else None
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError("not a Luoshi audit checkpoint")
            return cls(
                seq=int(data["seq"]),
                head=str(data["head"]),
                time=datetime.fromisoformat(data["time"]),
                key_id=str(data["key_id"]),
                signature=str(data["signature"]),
                public_key=str(data.get("public_key", "")),
                source=source,
            )
        except (ValueError, KeyError, TypeError) as e:
            raise CheckpointError(f"{source or 'checkpoint'}: cannot read it ({e})") from e

    @classmethod
    def from_row(cls, row: AuditCheckpoint) -> "Checkpoint":
        return cls(row.seq, row.head, row.created_at, row.key_id, row.signature, source="stored")
