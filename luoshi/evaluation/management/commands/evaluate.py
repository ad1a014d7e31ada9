from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from luoshi.evaluation.actions import do_create_run, do_publish_run
from luoshi.evaluation.models import RunResult, Scheme
from luoshi.lib.errors import ActionError
from luoshi.lib.rounding import half_up


class Command(BaseCommand):
    help = "Evaluate a scheme for a period and print the league table: luoshi evaluate --scheme CODE --period 2026-Q3"

    def add_arguments(self, parser):
        parser.add_argument("--scheme", required=True)
        parser.add_argument("--period", required=True)
        parser.add_argument("--publish", action="store_true")

    def handle(self, *args, scheme, period, publish=False, **options):
        translation.activate("zh-hans")
        found = Scheme.objects.filter(code=scheme).first()
        if found is None:
            raise CommandError(f"no scheme with code {scheme!r}")
        version = found.versions.order_by("-number").first()
        try:
            run = do_create_run(version, period, actor=None)
            if publish:
                run = do_publish_run(run, actor=None)
        except ActionError as e:
            raise CommandError(e.message) from e
        self.stdout.write(
            f"{found.name} v{version.number} · {run.period} · {run.get_state_display()} · "
            f"run {run.pk} · inputs {run.inputs_hash[:12]}"
        )
        current = None
        for r in RunResult.objects.filter(run=run).select_related("unit", "unit__unit_class"):
            if r.unit.unit_class.name != current:
                current = r.unit.unit_class.name
                self.stdout.write(f"\n{current}")
            total = "—" if r.total is None else str(half_up(r.total, 2))
            interval = "" if r.rank_low is None else f"  [{r.rank_low:.0f}–{r.rank_high:.0f}]"
            change = (
                ""
                if r.rank_change in (None, 0)
                else f"  {'↑' if r.rank_change > 0 else '↓'}{abs(r.rank_change)}"
            )
            self.stdout.write(
                f"{r.rank_class or '—':>4}  {r.unit.name:<16}{total:>8}  {r.grade}{change}{interval}"
                + ("  (data short)" if r.flagged else "")
            )
