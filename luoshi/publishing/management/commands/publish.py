import shutil

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from luoshi.evaluation.models import Run
from luoshi.lib.errors import ActionError
from luoshi.lib.periods import period_name
from luoshi.publishing.actions import do_request_document
from luoshi.publishing.jobs import build_document
from luoshi.publishing.models import GeneratedDocument


class Command(BaseCommand):
    help = (
        "Write a run's bulletin: luoshi publish bulletin --run ID --format docx|pdf --out PATH. "
        "The bulletin is one document with one number: asking for the other format later "
        "writes the same document."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["bulletin"])
        parser.add_argument("--run", type=int, required=True, help="a published run's number")
        parser.add_argument("--format", choices=["docx", "pdf"], default="pdf")
        parser.add_argument("--out", required=True)

    def handle(self, *args, what, run, format, out, **options):
        translation.activate("zh-hans")
        found = Run.objects.select_related("version__scheme").filter(pk=run).first()
        if found is None:
            raise CommandError(f"运行 #{run} 不存在")
        # One document, one number: the run's bulletin already made (or being made) is the
        # one whose other format is asked for; only a run without one gets a new document.
        document = (
            GeneratedDocument.objects.filter(kind=GeneratedDocument.Kind.BULLETIN, run=found)
            .exclude(state=GeneratedDocument.State.FAILED)
            .order_by("-created_at")
            .first()
        )
        if document is None:
            try:
                document = do_request_document(found, actor=None)
            except ActionError as e:
                raise CommandError(e.message) from e

        def show(progress, step):
            self.stdout.write(f"[{progress:3d}%] {step}")

        if document.state != GeneratedDocument.State.DONE:
            document = build_document(document.pk, on_step=show)
        stored = document.docx if format == "docx" else document.pdf
        with stored.open("rb") as source, open(out, "wb") as target:
            shutil.copyfileobj(source, target)
        run = document.run
        self.stdout.write(
            f"{document.number} → {out}（{run.version.scheme.name}{period_name(run.period)}）"
        )
