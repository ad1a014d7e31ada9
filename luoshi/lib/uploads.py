"""Checking uploaded evidence by its content, not its name.

An upload is accepted only when its bytes are one of the kinds offices use
(PDF, images, Word/Excel/WPS, plain text) and its name's extension agrees with
what the bytes are. Executables and scripts are refused whatever they are called;
then `file_checks.inspect` reads past the first bytes (zip bombs, macros, embedded
programs, remote templates, PDF JavaScript, images that are also web pages).
"""

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .errors import ActionError
from .file_checks import encrypted_message, encrypted_ooxml, inspect

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_NAME_LENGTH = 200  # the name columns of ReportFile, SourceFile and SpeechImport

# kind → (content type, extensions a file of that kind may carry)
KINDS = {
    "pdf": ("application/pdf", {"pdf"}),
    "png": ("image/png", {"png"}),
    "jpeg": ("image/jpeg", {"jpg", "jpeg"}),
    "gif": ("image/gif", {"gif"}),
    "webp": ("image/webp", {"webp"}),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", {"docx"}),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {"xlsx"}),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", {"pptx"}),
    "ole": ("application/octet-stream", {"doc", "xls", "ppt", "wps", "et"}),
    "text": ("text/plain; charset=utf-8", {"txt", "csv"}),
}

_EXECUTABLE_MAGIC = (
    b"MZ",
    b"\x7fELF",
    b"#!",
    b"\xca\xfe\xba\xbe",
    b"\xcf\xfa\xed\xfe",
    b"\xfe\xed\xfa",
)
_EXECUTABLE_EXTENSIONS = {
    "exe",
    "dll",
    "bat",
    "cmd",
    "com",
    "scr",
    "msi",
    "sh",
    "ps1",
    "vbs",
    "js",
    "jar",
    "apk",
    "elf",
    "so",
}


@dataclass
class CheckedUpload:
    name: str
    content_type: str
    size: int
    sha256: str
    data: bytes


def sniff(data: bytes) -> str | None:
    """The kind of file the bytes are, or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            for prefix, kind in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
                if any(n.startswith(prefix) for n in names):
                    return kind
        return None
    if b"\x00" not in data[:8192]:
        try:
            data.decode("utf-8")
            return "text"
        except UnicodeDecodeError:
            try:
                data.decode("gb18030")
                return "text"
            except UnicodeDecodeError:
                return None
    return None


def check_upload(name: str, data: bytes, *, field: str = "file") -> CheckedUpload:
    """Accept the upload or raise ActionError saying why, naming the file."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip() or "file"
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if len(name) > MAX_NAME_LENGTH:  # cut the stem, keep the extension
        if extension and len(extension) < 10:
            stem = name[: -(len(extension) + 1)]
            name = stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:MAX_NAME_LENGTH]
    if not data:
        raise ActionError(_("“%(name)s” is empty.") % {"name": name}, field=field)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ActionError(
            _("“%(name)s” is larger than %(mb)d MB.")
            % {"name": name, "mb": MAX_UPLOAD_BYTES // 2**20},
            field=field,
        )
    if extension in _EXECUTABLE_EXTENSIONS or data.startswith(_EXECUTABLE_MAGIC):
        raise ActionError(
            _("“%(name)s” is a program or script; it cannot be uploaded.") % {"name": name},
            field=field,
        )
    kind = sniff(data)
    if kind is None:
        raise ActionError(
            _("“%(name)s” is not a file type Luoshi accepts (PDF, image, Word, Excel, WPS, text).")
            % {"name": name},
            field=field,
        )
    content_type, extensions = KINDS[kind]
    if kind == "ole" and extension in ("docx", "xlsx", "pptx") and encrypted_ooxml(data):
        raise ActionError(encrypted_message() % {"name": name}, field=field)
    if extension not in extensions:
        raise ActionError(
            _(
                "“%(name)s” is named .%(ext)s but its content is %(kind)s; rename it or upload the right file."
            )
            % {"name": name, "ext": extension or "?", "kind": kind.upper()},
            field=field,
        )
    inspect(kind, extension, data, name, field=field)
    return CheckedUpload(name, content_type, len(data), hashlib.sha256(data).hexdigest(), data)


def store_upload(record, upload: CheckedUpload) -> None:
    """Write an upload to its row's `file` field and save the row, inside the caller's
    transaction. A full or failing disk becomes an ActionError (the action's transaction rolls
    back, so no row refers to a half-written file and everything stored earlier stays as it
    was) instead of a server error. A partial file the storage wrote stays on disk, referred
    to by nothing."""
    from django.core.files.base import ContentFile

    try:
        record.file.save(upload.name, ContentFile(upload.data), save=True)
    except OSError as e:
        raise ActionError(
            _(
                "The server could not store “%(name)s” (%(why)s); nothing was saved. Tell the system administrator."
            )
            % {"name": upload.name, "why": e.strerror or e},
            field="files",
        ) from e
