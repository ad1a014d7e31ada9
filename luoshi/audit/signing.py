"""The audit key: an Ed25519 key that lives in a file on the application hosts, never in the
database, so that someone who can rewrite the database cannot re-sign what they rewrote.

The sealer signs every event it adds to the chain; checkpoints are signed with the same key.
Verifying needs only the public half: this installation's (derived from the key file), the
public keys of keys it used before (``AUDIT_TRUSTED_KEYS_FILE``), or ones given on the
command line by an auditor who holds no private key at all.
"""

import base64
import hashlib
import os
import tempfile
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings


class AuditKeyError(Exception):
    """The key file is missing (where it was set explicitly) or not an Ed25519 key."""


def key_path() -> Path:
    return Path(settings.AUDIT_SIGNING_KEY_FILE or Path(settings.VAR_DIR) / "audit_signing_key.pem")


def _generate(path: Path) -> None:
    # Written to a temporary name and linked into place: two processes starting at once
    # never read a half-written key, and the second keeps the first one's key.
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".audit-key-")
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, pem)
        os.close(fd)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
    finally:
        os.unlink(tmp)


@cache
def _load_private(path: str) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise AuditKeyError(f"{path} is not an Ed25519 private key")
    return key


def private_key() -> Ed25519PrivateKey:
    """The signing key; generated under var/ on first use unless a file was named."""
    path = key_path()
    if not path.exists():
        if settings.AUDIT_SIGNING_KEY_FILE:
            # A named file that is missing is an operator's mistake (an unmounted volume):
            # quietly starting a second key would split the trail's signatures.
            raise AuditKeyError(
                f"AUDIT_SIGNING_KEY_FILE={path} does not exist "
                "(create one with: openssl genpkey -algorithm ed25519 -out FILE)"
            )
        _generate(path)
    return _load_private(str(path))


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """A short name for a public key: the first 16 hex digits of SHA-256 over its 32 bytes."""
    return hashlib.sha256(public_bytes(key)).hexdigest()[:16]


def public_key_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def load_public_keys(text: str) -> list[Ed25519PublicKey]:
    """Every Ed25519 public key in a PEM bundle (private keys are reduced to their public half)."""
    keys = []
    for block in text.split("-----BEGIN ")[1:]:
        pem = ("-----BEGIN " + block).encode()
        if b"PRIVATE KEY" in pem.split(b"\n", 1)[0]:
            key = serialization.load_pem_private_key(pem, password=None).public_key()
        else:
            key = serialization.load_pem_public_key(pem)
        if not isinstance(key, Ed25519PublicKey):
            raise AuditKeyError("not an Ed25519 key")
        keys.append(key)
    return keys


def trusted_keys(extra: list[Ed25519PublicKey] = ()) -> dict[str, Ed25519PublicKey]:
    """Public keys a verification accepts, by key id: the key file's (when it exists; a
    verification never creates a key), the earlier keys listed in AUDIT_TRUSTED_KEYS_FILE,
    and any given by the caller."""
    keys = list(extra)
    if key_path().exists():
        keys.append(private_key().public_key())
    if settings.AUDIT_TRUSTED_KEYS_FILE:
        keys += load_public_keys(Path(settings.AUDIT_TRUSTED_KEYS_FILE).read_text())
    return {key_id(k): k for k in keys}


def sign(message: bytes) -> str:
    return base64.b64encode(private_key().sign(message)).decode()


def signature_holds(key: Ed25519PublicKey, signature: str, message: bytes) -> bool:
    try:
        key.verify(base64.b64decode(signature, validate=True), message)
    except (InvalidSignature, ValueError):
        return False
    return True
