from django.core.management.base import BaseCommand

from luoshi.incentives.ratings import do_compute_satisfaction


class Command(BaseCommand):
    help = (
        "Record each unit's citizen satisfaction rate for a month as the indicator c-satisfaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True)

    def handle(self, *args, month, **options):
        result = do_compute_satisfaction(month)
        self.stdout.write(f"{month}: {result['units']} units, {result['written']} values written")
