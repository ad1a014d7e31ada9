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
        self.stdout.write(f"标题：{c.title or '（未识别）'}")
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
        for path_, node in result.outline.walk():
            if node.kind != "root":
                self.stdout.write("  " * len(path_) + f"{node.label} {node.title}".strip())
        self.stdout.write(f"\n建议任务（{len(result.proposals)} 项）：")
        for p in result.proposals:
            self.stdout.write(f"{p.order:3d}. {p.title}  〔{' › '.join(p.path)}〕")
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
