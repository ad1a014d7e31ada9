"""Charts for documents, drawn on the server with matplotlib (Word and PDF cannot run ECharts).

Text uses the CJK font Debian installs (Noto Sans CJK); in SVG the glyphs become paths,
so a PDF never depends on a font for its charts.
"""

import functools
import io
import shutil
import subprocess

import matplotlib

matplotlib.use("Agg")  # no display on a server

from matplotlib import font_manager  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402

from .layout import chart_height_in  # noqa: E402

_CJK = ["Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "DejaVu Sans"]
RED, GREY = "#c00000", "#7f8c99"


@functools.cache
def _font() -> list[str]:
    # matplotlib's own font cache may predate the system fonts (or skip .ttc collections):
    # ask fontconfig for the CJK file and register it explicitly.
    if shutil.which("fc-match"):
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", "Noto Sans CJK SC:lang=zh-cn"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        if found:
            font_manager.fontManager.addfont(found)
    available = {f.name for f in font_manager.fontManager.ttflist}
    return [name for name in _CJK if name in available] or ["DejaVu Sans"]


def score_bars(labels: list[str], values: list[float], mean: float | None, *, fmt: str) -> bytes:
    """Horizontal bars, best at the top, the class mean as a dashed line; PNG or SVG bytes."""
    plt.rcParams["font.family"] = _font()
    plt.rcParams["svg.fonttype"] = "path"
    height = chart_height_in(len(labels))  # at most two thirds of a page when printed
    fig, ax = plt.subplots(figsize=(6.1, height), dpi=200)  # 156 mm wide: the type area
    y = list(range(len(labels)))
    ax.barh(y, values, color=[RED if mean is not None and v < mean else GREY for v in values])
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    low = min(values) if values else 0
    ax.set_xlim(max(0, low - 10), max(values) + 3 if values else 100)
    for k, v in enumerate(values):
        ax.text(v + 0.3, k, f"{v:.2f}", va="center", fontsize=7)
    if mean is not None:
        ax.axvline(mean, color="#333", linestyle="--", linewidth=0.8)
        ax.text(mean, -0.9, f"平均 {mean:.2f}", fontsize=7, ha="center")
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="x", labelsize=7)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format=fmt)
    plt.close(fig)
    return out.getvalue()
