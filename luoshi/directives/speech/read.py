"""Reading a speech file into text: .txt in any of the encodings Chinese offices produce
(UTF-8, UTF-16 with a byte-order mark, GB18030/GBK, Big5; detected), .docx, and PDFs that
carry text."""

import io
import shutil
import subprocess
import tempfile
import zipfile

# The most frequent characters of modern Chinese prose (simplified), by common knowledge:
# plausible text is mostly made of them, mis-decoded bytes are not.
COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工"
    "也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物"
    "现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全"
    "表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无"
    "系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基"
    "资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取"
    "据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权"
    "收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离"
    "华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低"
    "持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历"
    "市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却"
    "专状育厂京识适属圆包火住调满县局照参红细引听该铁价严抓落督考评推项目企乡镇街道党委政府"
)


def common_ratio(text: str) -> float:
    """Share of the CJK characters in ``text`` that are common ones (0 when there are none)."""
    cjk = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not cjk:
        return 0.0
    return sum(c in COMMON for c in cjk) / len(cjk)


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-16 when it starts with a byte-order mark, UTF-8 if it decodes;
    otherwise whichever of GB18030 and Big5 reads as Chinese prose (Big5 bytes read as
    GB18030 give rare characters, and the reverse)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Notepad's "Unicode": UTF-16 with its mark
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "utf-8"):
        try:
            return data.decode(encoding), "utf-8"
        except UnicodeDecodeError:
            pass
    candidates = []
    for encoding in ("gb18030", "big5"):
        text = data.decode(encoding, errors="replace")
        score = common_ratio(text) - text.count("\ufffd") / max(len(text), 1)
        candidates.append((score, encoding, text))
    score, encoding, text = max(candidates)
    return text, encoding


def read_docx(data: bytes) -> str:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError) as e:
        raise ValueError("not a readable .docx") from e
    return "\n".join(p.text for p in doc.paragraphs)


def read_pdf(data: bytes) -> str:
    """Text PDFs only (a scanned PDF has no text to read: it comes back empty)."""
    if not shutil.which("pdftotext"):
        raise ValueError("pdftotext (poppler-utils) is not installed")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        out = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-nopgbrk", f.name, "-"],
            capture_output=True,
            check=False,
        )
    if out.returncode != 0:
        raise ValueError("not a readable PDF")
    return out.stdout.decode("utf-8", errors="replace")


def read_file(name: str, data: bytes) -> tuple[str, str]:
    """(text, how it was read) from a file's name and bytes."""
    lower = name.lower()
    if lower.endswith(".docx"):
        return read_docx(data), "docx"
    if lower.endswith(".pdf") or data[:5] == b"%PDF-":
        return read_pdf(data), "pdf"
    return decode(data)
