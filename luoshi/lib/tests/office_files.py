"""Builders of real office files, harmless and hostile, for the upload inspection tests.

Word and Excel files come from python-docx and openpyxl, then get the hostile part added the way
an attacker's tool adds it; OLE (.doc/.xls) files are written by a minimal compound-file writer
below (format: [MS-CFB] version 3, every stream at least 4,096 bytes so no mini stream is needed),
which olefile, LibreOffice and Office read."""

import io
import struct
import zipfile
import zlib

# A Windows program's first bytes: the MZ header and the DOS stub every linker writes.
PE = b"MZ\x90\x00\x03" + b"\x00" * 59 + b"\x0e\x1f\xba\x0e\x00\xb4\x09\xcd!This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 200  # fmt: skip

_FREE, _END, _FAT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def ole(entries: dict[str, bytes]) -> bytes:
    """A compound file holding `entries` ({"Workbook": b"…", "Macros/VBA/dir": b"…"}); storages
    are made for the path parts."""
    sector = 512
    # Directory tree: root (0), then every storage and stream in path order.
    nodes = [{"name": "Root Entry", "type": 5, "children": []}]
    index = {"": 0}
    for path in sorted(entries):
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            key = "/".join(parts[:depth])
            if key in index:
                continue
            is_stream = depth == len(parts)
            nodes.append(
                {"name": parts[depth - 1], "type": 2 if is_stream else 1, "children": [],
                 "data": entries[key] if is_stream else b""}
            )  # fmt: skip
            index[key] = len(nodes) - 1
            nodes[index["/".join(parts[: depth - 1])]]["children"].append(len(nodes) - 1)
    # Stream data, each padded to whole sectors (and to at least 4,096 bytes).
    body, fat = b"", []
    for node in nodes:
        data = node.get("data", b"")
        if node["type"] != 2:
            node["start"], node["size"] = (_END, 0)
            continue
        data = data.ljust(4096, b"\x00")
        node["size"] = len(data)
        count = -(-len(data) // sector)
        node["start"] = len(fat)
        fat += [len(fat) + k + 1 for k in range(count - 1)] + [_END]
        body += data.ljust(count * sector, b"\x00")
    # Directory: children of a storage chained through right-sibling pointers.
    directory = b""
    for number, node in enumerate(nodes):
        name = node["name"].encode("utf-16-le") + b"\x00\x00"
        siblings = {}
        for storage in nodes:
            kids = storage["children"]
            for a, b in zip(kids, kids[1:], strict=False):
                siblings[a] = b
        child = node["children"][0] if node["children"] else _NOSTREAM
        directory += (
            name.ljust(64, b"\x00")
            + struct.pack("<HBB", len(name), node["type"], 1)
            + struct.pack("<III", _NOSTREAM, siblings.get(number, _NOSTREAM), child)
            + b"\x00" * 16 + b"\x00" * 4 + b"\x00" * 16
            + struct.pack("<IQ", node["start"], node["size"])
        )  # fmt: skip
    directory += b"\x00" * ((-len(directory)) % sector)
    dir_start = len(fat)
    dir_count = len(directory) // sector
    fat += [dir_start + k + 1 for k in range(dir_count - 1)] + [_END]
    fat_count = -(-(len(fat) + 1) // (sector // 4))
    while -(-(len(fat) + fat_count) // (sector // 4)) > fat_count:
        fat_count += 1
    fat_start = len(fat)
    fat += [_FAT] * fat_count
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat).ljust(fat_count * sector, b"\xff")
    difat = [fat_start + k for k in range(fat_count)] + [_FREE] * (109 - fat_count)
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, fat_count, dir_start, 0, 4096, _END, 0, _END, 0)
        + struct.pack("<109I", *difat)
    )  # fmt: skip
    return header + body + directory + fat_bytes


def ole10native(payload: bytes, label: str = "setup.exe") -> bytes:
    """The stream an embedded "Package" object keeps its file in."""
    name = label.encode() + b"\x00"
    inner = b"\x02\x00" + name + name + b"\x00\x00\x03\x00" + struct.pack("<I", len(name)) + name
    inner += struct.pack("<I", len(payload)) + payload
    return struct.pack("<I", len(inner)) + inner


def docx(text: str = "第一季度工作情况") -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx(rows=(("单位", "得分"), ("甲镇", 90))) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_parts(package: bytes, parts: dict[str, bytes], replace: dict | None = None) -> bytes:
    """The zip package with parts added (or replaced: {name: new bytes})."""
    replace = replace or {}
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, replace.get(item.filename, source.read(item.filename)))
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


def zip_bomb_xlsx(megabytes: int = 216) -> bytes:
    """An .xlsx whose shared strings unpack to `megabytes` MB (the probe's: 840 KB → 216 MB)."""
    base = zipfile.ZipFile(io.BytesIO(xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in base.infolist():
            if item.filename != "xl/sharedStrings.xml":
                target.writestr(item.filename, base.read(item.filename))
        chunk = b"<si><t>" + b"A" * 1000 + b"</t></si>" * 1
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            strings.write(
                b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            for _ in range(megabytes * 1024 * 1024 // len(chunk)):
                strings.write(chunk)
            strings.write(b"</sst>")
    return out.getvalue()


def pdf(objects: list[bytes], *, root: int = 1) -> bytes:
    """A PDF with the given objects (1-based), a correct cross-reference table and trailer."""
    out, offsets = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, xref,
    )  # fmt: skip
    return out


PAGES = [
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
]


def plain_pdf() -> bytes:
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", *PAGES])


def pdf_with_open_action(action: bytes) -> bytes:
    return pdf([b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>", *PAGES, action])


def pdf_with_js_in_object_stream() -> bytes:
    """The JavaScript action inside a compressed object stream (PDF 1.5), invisible to a search
    of the raw bytes."""
    inner = b"<< /S /JavaScript /JS (app.launchURL\\('http://x'\\)) >>"
    header = b"5 0 "
    stream = zlib.compress(header + inner)
    objstm = (
        b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(stream))
        + stream
        + b"\nendstream"
    )
    return pdf([b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>", *PAGES, objstm])


def png(extra: bytes = b"") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG")
    return out.getvalue() + extra


def jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 30, 200)).save(out, "JPEG")
    return out.getvalue()
