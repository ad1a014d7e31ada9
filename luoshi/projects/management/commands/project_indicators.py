from django.core.management.base import BaseCommand, CommandError

from luoshi.projects.indicators import do_compute_pipeline_indicators


class Command(BaseCommand):
    help = "Record the pipeline indicators (leads signed, projects landed, investment against plan, stage delays, obstacles solved on time) for a month."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="e.g. 2026-10")

    def handle(self, *args, month, **options):
        try:
            result = do_compute_pipeline_indicators(month)
        except ValueError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"{month}: {result['units']} units, {result['written']} values written")
