"""Official documents and the league table for the demo district.

Builds the demo district in a throwaway SQLite database (or uses DATABASE_URL), then times,
best of N:

1. the quarterly bulletin for 镇街季度综合考评 2026-Q2 as Word and as PDF, each against a
   baseline in the same run: the same text with no layout (python-docx defaults; WeasyPrint
   on bare HTML), so the ratio is what the official layout and the charts cost;
2. the league-table page for that run, against the site's plainest page (the list of runs)
   served by the same client, so the ratio is what the table, filters and chart data cost.

    .venv/bin/python bench/documents.py [--repeats 5]
"""

import argparse
import io
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def best_of(function, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        folder = tempfile.mkdtemp(prefix="luoshi-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ["MEDIA_ROOT"] = f"{folder}/media"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from docx import Document
    from weasyprint import HTML

    from luoshi.accounts.models import User
    from luoshi.evaluation.models import Run
    from luoshi.publishing.bulletin import Fact, compose
    from luoshi.publishing.docx_render import render_docx
    from luoshi.publishing.pdf_render import render_pdf

    settings.ALLOWED_HOSTS = ["*"]
    start = time.perf_counter()
    call_command("demo", no_serve=True, stdout=io.StringIO())
    print(f"demo district built in {time.perf_counter() - start:.1f} s")
    run = Run.objects.get(version__scheme__code="town-quarterly", period="2026-Q2")
    bulletin = compose(run, sequence=1)
    rows = sum(len(t.rows) for s in bulletin.sections for _c, t in s.tables)

    def plain_text():
        for section in bulletin.sections:
            yield section.heading
            for paragraph in section.paragraphs:
                yield "".join(s.text if isinstance(s, Fact) else s for s in paragraph)
            for _caption, table in section.tables:
                for row in table.rows:
                    yield " ".join(row)

    def plain_docx():
        doc = Document()
        for line in plain_text():
            doc.add_paragraph(line)
        doc.save(io.BytesIO())

    def plain_pdf():
        body = "".join(f"<p>{line}</p>" for line in plain_text())
        HTML(string=f"<html><body>{body}</body></html>").write_pdf()

    compose_time = best_of(lambda: compose(run, sequence=1), args.repeats)
    docx_time = best_of(lambda: render_docx(compose(run, sequence=1)), args.repeats)
    docx_base = best_of(plain_docx, args.repeats)
    pdf_time = best_of(lambda: render_pdf(compose(run, sequence=1)), args.repeats)
    pdf_base = best_of(plain_pdf, args.repeats)

    client = Client()
    client.force_login(User.objects.get(username="office"))
    league_url = f"/results/runs/{run.pk}/"
    assert client.get(league_url).status_code == 200
    league_time = best_of(lambda: client.get(league_url), args.repeats * 4)
    base_time = best_of(lambda: client.get("/evaluation/"), args.repeats * 4)

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {settings.DATABASES['default']['ENGINE']}")  # fmt: skip
    print(f"bulletin with {rows} table rows and one chart, best of {args.repeats}:")
    print(f"  compose (data → structure)   {compose_time * 1000:8.1f} ms")
    print(f"  Word, official layout+chart  {docx_time * 1000:8.1f} ms   "
          f"plain text {docx_base * 1000:6.1f} ms   ratio {docx_time / docx_base:5.1f}")  # fmt: skip
    print(f"  PDF, GB/T 9704 + chart        {pdf_time * 1000:8.1f} ms   "
          f"bare HTML  {pdf_base * 1000:6.1f} ms   ratio {pdf_time / pdf_base:5.1f}")  # fmt: skip
    print(f"league-table page              {league_time * 1000:8.1f} ms   "
          f"runs list  {base_time * 1000:6.1f} ms   ratio {league_time / base_time:5.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
