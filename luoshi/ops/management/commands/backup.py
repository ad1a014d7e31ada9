from django.core.management.base import BaseCommand
from django.utils import timezone

from luoshi.ops.backup import make_backup


class Command(BaseCommand):
    help = "Back up the database and the attachments into one .tar.gz with table checksums."

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", default=None, help="file to write (default luoshi-YYYYmmdd-HHMM.tar.gz)"
        )

    def handle(self, *args, out=None, **options):
        out = out or f"luoshi-{timezone.localtime():%Y%m%d-%H%M}.tar.gz"
        manifest = make_backup(out)
        self.stdout.write(
            f"{out}: {len(manifest['tables'])} tables, database {manifest['database']}"
        )
