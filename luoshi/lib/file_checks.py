"""Looking inside an upload for what would hurt the office that opens it.

`uploads.check_upload` decides a file's kind by its first bytes; this module then reads past
them, because offices open evidence in Word, Excel, WPS and a PDF reader on their own desks:

- zip containers (.docx/.xlsx/.pptx): the uncompressed size, the compression ratio and the
  number of parts are checked from the central directory *before* anything parses the XML
  (`check_zip_budget`, also used by every workbook import). Python's zipfile never inflates a
  part beyond the size the central directory declares (it stops there and fails the CRC), so
  the declared sizes bound the work even when the file lies about them;
- macros (vbaProject.bin, macro-enabled content types, VBA storages in .doc/.xls);
- programs embedded as objects (a PE header anywhere in a part or an OLE stream);
- remote templates and other parts fetched from another address when the file is opened
  (attachedTemplate, subDocument, frame, external OLE objects, external workbook links), and
  DDE fields;
- an OLE file (.doc/.xls/.ppt/.wps/.et) that is not the document its name says (an executable
  behind an OLE header): it must parse and hold the matching main stream;
- PDF actions that run by themselves: JavaScript (found by poppler, which reads encrypted and
  compressed files as a reader does, and by name in the raw file and its object streams),
  Launch actions and embedded files;
- images that are something else as well: they must decode, and nothing may follow the
  image's end (a PNG followed by HTML), nor may markup appear inside.

Each refusal is an ActionError naming the file and saying what to do instead.
"""

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
import zlib

from django.utils.translation import gettext as _

from .errors import ActionError

MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # a 100,000-row workbook unpacks to about 15 MB
MAX_RATIO = 100  # real Office XML compresses 5-20 times; zip bombs hundreds or thousands
RATIO_APPLIES_ABOVE = 1024 * 1024  # tiny parts may compress very well and cost nothing
MAX_PARTS = 10_000
MAX_SCANNED_BYTES = 50 * 1024 * 1024  # what one PDF's object streams may inflate to in total

# Every Windows program starts with an MZ header whose stub prints one of these.
_PE_STUBS = (b"This program cannot be run in DOS mode", b"This program must be run under Win32")
_MARKUP = re.compile(rb"<\s*(html|script|iframe|body|svg|object|embed|meta)\b|javascript:", re.I)


class ZipTooLarge(ActionError):
    """A zip container that would expand beyond the budget; nothing in it was parsed."""


def check_zip_budget(data: bytes, name: str, *, field: str = "file") -> zipfile.ZipFile:
    """The opened zip, after checking what it declares it would expand to."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise ActionError(
            _("“%(name)s” is damaged and cannot be opened (%(why)s).") % {"name": name, "why": e},
            field=field,
        ) from e
    if len(parts) > MAX_PARTS:
        raise ZipTooLarge(
            _("“%(name)s” holds %(n)d parts, more than a real document has; it was not opened.")
            % {"name": name, "n": len(parts)},
            field=field,
        )
    total = sum(p.file_size for p in parts)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ZipTooLarge(
            _(
                "“%(name)s” would expand to %(mb)d MB when opened (the limit is %(limit)d MB), "
                "as a decompression bomb does; it was not opened. Split the file."
            )
            % {"name": name, "mb": total // 2**20, "limit": MAX_UNCOMPRESSED_BYTES // 2**20},
            field=field,
        )
    for part in parts:
        if part.file_size > RATIO_APPLIES_ABOVE:
            ratio = part.file_size / max(part.compress_size, 1)
            if ratio > MAX_RATIO:
                raise ZipTooLarge(
                    _(
                        "“%(name)s” is compressed %(ratio)d times, far beyond real documents "
                        "(a decompression bomb); it was not opened."
                    )
                    % {"name": name, "ratio": ratio},
                    field=field,
                )
    return archive


def _refuse(message: str, name: str, field: str, **extra) -> None:
    raise ActionError(message % {"name": name, **extra}, field=field)


def _has_program(data: bytes) -> bool:
    return any(stub in data for stub in _PE_STUBS) or data.startswith((b"MZ", b"\x7fELF"))


# Relationship types whose target the application fetches by itself when the file is opened.
_AUTO_FETCHED = ("attachedTemplate", "subDocument", "frame", "oleObject", "externalLinkPath")
_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>", re.I)
_DDE = re.compile(rb"\bDDE(AUTO)?\b", re.I)


def _inspect_ooxml(data: bytes, name: str, field: str) -> None:
    archive = check_zip_budget(data, name, field=field)
    names = archive.namelist()
    content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    if (
        any(n.lower().endswith("vbaproject.bin") for n in names)
        or any(n.lower().startswith(("xl/macrosheets/", "xl/dialogsheets/")) for n in names)
        or b"macroEnabled" in content_types
        or b"vbaProject" in content_types
    ):
        _refuse(
            _(
                "“%(name)s” contains macros, which run programs on the computer that opens it. "
                "Save it as an ordinary .docx/.xlsx/.pptx (without macros) and upload that."
            ),
            name,
            field,
        )
    for part in names:
        body = archive.read(part)
        lower = part.lower()
        if _has_program(body) or (lower.endswith(".bin") and _ole_holds_program(body)):
            _refuse(
                _("“%(name)s” has a program embedded in it (%(part)s); it cannot be uploaded."),
                name,
                field,
                part=part,
            )
        if lower.endswith(".rels"):
            for relationship in _RELATIONSHIP.findall(body):
                if b'TargetMode="External"' not in relationship:
                    continue
                kind = re.search(rb'Type="[^"]*/([A-Za-z]+)"', relationship)
                kind = kind.group(1).decode() if kind else ""
                if kind in _AUTO_FETCHED:
                    target = re.search(rb'Target="([^"]*)"', relationship)
                    _refuse(
                        _(
                            "“%(name)s” fetches %(what)s from %(target)s when it is opened; save "
                            "it without that link (as a plain document) and upload it again."
                        ),
                        name,
                        field,
                        what=kind,
                        target=target.group(1).decode(errors="replace")[:100] if target else "?",
                    )
        if lower.startswith("xl/externallinks/") and b"<ddeLink" in body:
            _refuse(
                _(
                    "“%(name)s” has a field that starts another program when the "
                    "document is opened (DDE); remove it and upload again."
                ),
                name,
                field,
            )
        if lower.startswith("word/") and lower.endswith(".xml") and b"instr" in body:
            for instruction in re.findall(rb"instr(?:Text>|=\")([^<\"]*)", body):
                if _DDE.search(instruction):
                    _refuse(
                        _(
                            "“%(name)s” has a field that starts another program when the "
                            "document is opened (DDE); remove it and upload again."
                        ),
                        name,
                        field,
                    )


# What an embedded "Package" may not carry: programs, scripts and shortcuts to programs.
_RUNNABLE = re.compile(
    rb"\.(exe|com|scr|pif|bat|cmd|vbs|vbe|js|jse|wsf|wsh|ps1|hta|msi|dll|cpl|lnk|jar|reg)\x00",
    re.I,
)
_LNK = b"L\x00\x00\x00\x01\x14\x02\x00"


def _package_runs(native: bytes) -> bool:
    """An Ole10Native stream (an embedded file) holding a program, a script or a shortcut."""
    return _has_program(native) or _LNK in native[:4096] or bool(_RUNNABLE.search(native[:2048]))


def _ole_holds_program(data: bytes) -> bool:
    """An embedded OLE object (or an .doc/.xls) carrying a program: a PE stub anywhere in it,
    or an Ole10Native package whose payload is one."""
    if _has_program(data[8:]):
        return True
    import olefile

    if not olefile.isOleFile(io.BytesIO(data)):
        return False
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except (OSError, ValueError):
        return False
    try:
        for entry in ole.listdir(streams=True, storages=False):
            if entry[-1].lower().endswith("ole10native") and _package_runs(
                ole.openstream(entry).read()
            ):
                return True
    finally:
        ole.close()
    return False


# The stream an OLE document of each extension must hold.
_OLE_MAIN_STREAM = {
    "doc": ("worddocument",),
    "wps": ("worddocument",),
    "xls": ("workbook", "book"),
    "et": ("workbook", "book"),
    "ppt": ("powerpoint document",),
}


def encrypted_ooxml(data: bytes) -> bool:
    """A password-protected .docx/.xlsx/.pptx: Office wraps it in an OLE file."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return ole.exists("EncryptedPackage")
    except (OSError, ValueError, IndexError):
        return False


def encrypted_message() -> str:
    return _(
        "“%(name)s” is protected by a password, so Luoshi cannot check what is in it; save it "
        "without the password and upload that."
    )


def _inspect_ole(data: bytes, name: str, extension: str, field: str) -> None:
    import olefile

    damaged = _(
        "“%(name)s” is named .%(ext)s but is not a readable %(ext)s document; open it in "
        "Word/Excel/WPS, save it again and upload that."
    )
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except (OSError, ValueError, IndexError):
        _refuse(damaged, name, field, ext=extension)
    try:
        entries = ["/".join(e).lower() for e in ole.listdir(streams=True, storages=True)]
        if not any(entry in _OLE_MAIN_STREAM.get(extension, ()) for entry in entries):
            _refuse(damaged, name, field, ext=extension)
        macros = _(
            "“%(name)s” contains macros, which run programs on the computer that opens "
            "it. Save it as .docx/.xlsx (without macros) and upload that."
        )
        if any(
            part in ("vba", "_vba_project_cur", "macros", "_vba_project")
            for entry in entries
            for part in entry.split("/")
        ):
            _refuse(macros, name, field)
        if "encryptedpackage" in entries:
            _refuse(encrypted_message(), name, field)
        for entry in ole.listdir(streams=True, storages=False):
            stream = ole.openstream(entry).read()
            leaf = entry[-1].lower()
            if _has_program(stream) or (leaf.endswith("ole10native") and _package_runs(stream)):
                _refuse(
                    _("“%(name)s” has a program embedded in it (%(part)s); it cannot be uploaded."),
                    name,
                    field,
                    part="/".join(entry),
                )
            if leaf in ("workbook", "book") and (found := _biff_has_macros(stream)):
                _refuse(macros if found == "macros" else encrypted_message(), name, field)
            if leaf == "powerpoint document":
                for storage in _ppt_embedded_storages(stream):
                    if _ole_holds_program(storage):
                        _refuse(
                            _(
                                "“%(name)s” has a program embedded in it (%(part)s); it cannot be uploaded."
                            ),
                            name,
                            field,
                            part=entry[-1],
                        )
                    if _VBA_MARK in storage:
                        _refuse(macros, name, field)
    finally:
        ole.close()
    if _has_program(data[8:]):  # bytes outside any stream (appended after the OLE sectors)
        _refuse(
            _("“%(name)s” has a program embedded in it (%(part)s); it cannot be uploaded."),
            name,
            field,
            part="-",
        )


_VBA_MARK = "_VBA_PROJECT".encode("utf-16-le")


def _biff_has_macros(stream: bytes) -> str | None:
    """ "macros" for an Excel 97-2003 workbook stream with an Excel 4 macro sheet or a VBA module
    sheet (its BOUNDSHEET records say each sheet's type), "encrypted" when a password hides the
    rest (FILEPASS), else None."""
    at = 0
    while at + 4 <= len(stream):
        kind, length = (
            int.from_bytes(stream[at : at + 2], "little"),
            int.from_bytes(stream[at + 2 : at + 4], "little"),
        )
        body = stream[at + 4 : at + 4 + length]
        if kind == 0x0085 and len(body) >= 6 and body[5] in (0x01, 0x06):
            return "macros"
        if kind == 0x002F:  # FILEPASS: the rest is encrypted
            return "encrypted"
        at += 4 + length
    return None


def _ppt_embedded_storages(stream: bytes):
    """The OLE storages PowerPoint keeps compressed inside its document stream (ExOleObjStg
    records, type 0x1011): embedded objects and the VBA project."""
    at = stream.find(b"\x10\x00\x11\x10")
    while at >= 0:
        length = int.from_bytes(stream[at + 4 : at + 8], "little")
        try:
            yield zlib.decompressobj().decompress(stream[at + 12 : at + 8 + length], 50 * 2**20)
        except zlib.error:
            pass
        at = stream.find(b"\x10\x00\x11\x10", at + 8)


_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_PDF_DANGEROUS = {
    b"javascript": "JavaScript",
    b"js": "JavaScript",
    b"launch": "Launch",
    b"embeddedfile": "EmbeddedFile",
    b"embeddedfiles": "EmbeddedFile",
    b"richmedia": "RichMedia",
}
_STREAM = re.compile(rb"stream\r?\n")


def _pdf_names(data: bytes):
    """PDF names with #xx escapes decoded (/J#61vaScript is /JavaScript), lower-cased."""
    for match in _PDF_NAME.finditer(data):
        raw = match.group(1)
        if b"#" in raw:
            raw = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
        yield raw.lower()


def _pdf_object_streams(data: bytes):
    """The inflated contents of Flate-compressed object streams (where a PDF 1.5+ file keeps
    its dictionaries), within MAX_SCANNED_BYTES in all."""
    budget = MAX_SCANNED_BYTES
    for match in _STREAM.finditer(data):
        head = data[max(0, match.start() - 400) : match.start()]
        if b"objstm" not in b"".join(_pdf_names(head)):
            continue
        inflater = zlib.decompressobj()
        try:
            body = inflater.decompress(data[match.end() :], budget)
        except zlib.error:
            continue
        budget -= len(body)
        yield body
        if budget <= 0:
            return


def _poppler_finds(data: bytes) -> list[str]:
    """What poppler's reader finds (it decrypts and inflates as a PDF reader does): JavaScript
    in the name tree, annotations and form fields, and embedded files."""
    found = []
    if not shutil.which("pdfinfo"):
        return found
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        try:
            info = subprocess.run(["pdfinfo", f.name], capture_output=True, timeout=30)
            attached = subprocess.run(
                ["pdfdetach", "-list", f.name], capture_output=True, timeout=30
            )
        except subprocess.TimeoutExpired:
            return ["unreadable"]
    if re.search(rb"^JavaScript:\s*yes", info.stdout, re.M):
        found.append("JavaScript")
    count = re.match(rb"(\d+) embedded files", attached.stdout)
    if count and int(count.group(1)) > 0:
        found.append("EmbeddedFile")
    return found


def _inspect_pdf(data: bytes, name: str, field: str) -> None:
    found = set()
    for chunk in (data, *_pdf_object_streams(data)):
        found |= {_PDF_DANGEROUS[n] for n in _pdf_names(chunk) if n in _PDF_DANGEROUS}
    found |= set(_poppler_finds(data))
    if found:
        _refuse(
            _(
                "“%(name)s” is a PDF with content that acts by itself when opened (%(what)s). "
                "Print it to a new PDF (or scan the paper) and upload that."
            ),
            name,
            field,
            what=", ".join(sorted(found)),
        )
    if _has_program(data):
        _refuse(
            _("“%(name)s” has a program embedded in it (%(part)s); it cannot be uploaded."),
            name,
            field,
            part="PDF",
        )


def _image_end(kind: str, data: bytes) -> int | None:
    """Where the image format says the file ends, or None if it cannot be told cheaply."""
    if kind == "png":
        at = data.rfind(b"IEND")
        return at + 8 if at >= 0 else None  # the chunk name, then its 4-byte CRC
    if kind == "gif":
        return len(data.rstrip(b"\x00")) if data.rstrip(b"\x00").endswith(b";") else None
    return None


def _inspect_image(kind: str, data: bytes, name: str, field: str) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        _refuse(
            _("“%(name)s” is not a picture that can be shown; take or save it again."),
            name,
            field,
        )
    end = _image_end(kind, data)
    trailing = data[end:] if end is not None else b""
    if trailing.strip(b"\x00\r\n ") or _MARKUP.search(data) or _has_program(data):
        _refuse(
            _(
                "“%(name)s” has something other than the picture inside it (a web page or a "
                "program); save the picture again (e.g. a screenshot) and upload that."
            ),
            name,
            field,
        )


def inspect(kind: str, extension: str, data: bytes, name: str, *, field: str = "file") -> None:
    """Refuse (ActionError) an upload of the given sniffed kind that carries active content."""
    if kind in ("docx", "xlsx", "pptx"):
        _inspect_ooxml(data, name, field)
    elif kind == "ole":
        _inspect_ole(data, name, extension, field)
    elif kind == "pdf":
        _inspect_pdf(data, name, field)
    elif kind in ("png", "jpeg", "gif", "webp"):
        _inspect_image(kind, data, name, field)
