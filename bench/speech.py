"""Speech import speed: a 30,000-character speech (generated: headings, 一是/二是 lists,
targets with placeholders, web noise, GB18030 bytes) read, cleaned, outlined and proposed,
against reading (decoding) the same file alone as the baseline in the same run; then the same
speech as a web scrape puts it, all on one line (the slower layout: it is split and peeled).

    .venv/bin/python bench/speech.py [--chars 30000 --repeats 7]
"""

import argparse
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from luoshi.directives.speech import import_speech  # noqa: E402
from luoshi.directives.speech.read import read_file  # noqa: E402

NUMS = "一二三四五六七八九十"


def generate(chars: int) -> bytes:
    lines = ["在全区重点工作推进会上的讲话", "2025-01-08 2048", "首页 > 范文 > 讲话", "同志们:"]
    k = 0
    while sum(map(len, lines)) < chars:
        section = NUMS[k % 10]
        lines.append(f"第{section}个问题:抓好第{k + 1}方面重点工作")
        lines.append(
            "今年以来,全区上下围绕中心、服务大局,各项工作取得了新的进展,"
            "但也要清醒看到存在的差距和不足,必须以更大力度抓好落实。"
        )
        items = ";".join(
            f"{NUMS[j]}是建立健全第{j + 1}项工作机制,到2026年末完成投资X亿元以上,"
            f"覆盖率达到{60 + j}%以上"
            for j in range(6)
        )
        lines.append(items + "。")
        lines.append("各级干部要敢于担当、善于作为,以钉钉子精神抓好各项工作落实,确保取得实效。")
        k += 1
    lines += [
        "阅读全文",
        "分享:",
        "本文标题:在全区重点工作推进会上的讲话",
        "http://example.invalid/a.html",
    ]
    return "\n".join(lines).encode("gb18030")


def best(function, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chars", type=int, default=30000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    data = generate(args.chars)
    import_speech("warm-up.txt", data)  # OpenCC's dictionaries load once per process
    read_time, (text, _how) = best(lambda: read_file("speech.txt", data), args.repeats)
    full_time, result = best(lambda: import_speech("speech.txt", data), args.repeats)
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    print(f"speech: {len(text):,} characters, {len(result.cleaned.paragraphs)} paragraphs, "
          f"{len(result.proposals)} proposals, best of {args.repeats}")  # fmt: skip
    print(f"  read (decode) only      {read_time * 1000:8.2f} ms")
    print(
        f"  full import             {full_time * 1000:8.2f} ms   ratio {full_time / read_time:6.1f}"
    )
    one_line = text.replace("\n", "").encode("gb18030")
    one_time, one = best(lambda: import_speech("speech.txt", one_line), args.repeats)
    print(
        f"  same text on one line   {one_time * 1000:8.2f} ms   ratio {one_time / read_time:6.1f}"
        f"   ({sum(p.shown for p in one.proposals)} proposals shown)"
    )
    worst = max(full_time, one_time)
    print(f"  aim: under 500 ms       {'met' if worst < 0.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
