"""luoshi import-speech FILE [--json]: what the speech import finds, without writing anything."""

import json as json_module
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from luoshi.directives.speech import import_speech


class Command(BaseCommand):
    help = "Read a speech (.txt, .docx, PDF): print its cleaned title, outline and proposed tasks."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help="everything found, as JSON")

    def handle(self, *args, file, json: bool = False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            result = import_speech(path.name, path.read_bytes(), _units())
        except ValueError as e:
            raise CommandError(f"{file}: {e}") from e
        if json:
            self.stdout.write(_dumps(result.as_dict()))
            return
        c = result.cleaned
        self.stdout.write(
            f"标题：{c.title}" + ("（原文无标题，据会议名称拟定）" if c.title_proposed else "")
        )
        self.stdout.write(
            f"读取：{result.how}；正文 {len(c.paragraphs)} 段；删除 {len(c.removed)} 行"
            + (f"；修复 {c.repairs}" if c.repairs else "")
            + ("；繁体已转简体" if c.traditional else "")
        )
        from django.utils import translation

        from luoshi.directives.speech_views import reason_label

        with translation.override("zh-hans"):
            for r in c.removed:
                self.stdout.write(f"  - [{reason_label(r.reason)}] {r.line[:60]}")
        self.stdout.write("\n提纲：")
        for _path, node in result.outline.walk():
            if node.kind in ("heading", "item"):
                self.stdout.write("  " * node.level + f"{node.label} {node.title}".strip())
        shown = [p for p in result.proposals if p.shown]
        folded = [p for p in result.proposals if not p.shown]
        self.stdout.write(
            f"\n建议任务（{len(shown)} 项；另有 {len(folded)} 项可能性较低，列在最后）："
        )
        for p in shown + folded:
            low = "（低）" if not p.shown else ""
            self.stdout.write(
                f"{p.order:3d}. {p.title}  〔{' › '.join(p.path)}〕 可信度{p.confidence:.0%}{low}"
            )
            for t in p.targets:
                mark = "（待填）" if t.placeholder else ""
                cmp_ = "≤" if t.comparison == "le" else "≥"
                self.stdout.write(
                    f"       目标：{t.indicator} {cmp_} {t.value}{mark}{t.unit} {t.deadline}"
                )
            if p.unit_name:
                self.stdout.write(f"       建议牵头：{p.unit_name}")


def _units():
    """The installation's units, if there is a database; the import works without one."""
    try:
        from luoshi.orgs.models import Unit

        return list(Unit.objects.active().filter(depth__lte=2).values_list("pk", "name"))
    except Exception:  # no database yet: suggest no units
        return []


def _dumps(data) -> str:
    return json_module.dumps(data, ensure_ascii=False, indent=2)
