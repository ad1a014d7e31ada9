from django.core.management.base import BaseCommand, CommandError

from luoshi.audit.chain import verify_chain


class Command(BaseCommand):
    help = "Audit trail tools. `luoshi audit verify` checks the hash chain."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["verify"])

    def handle(self, *args, **options):
        checked, problem = verify_chain()
        if problem is not None:
            raise CommandError(
                f"audit chain broken at event #{problem.seq}: {problem.reason} "
                f"({checked} events before it verified)"
            )
        self.stdout.write(f"audit chain intact: {checked} events verified")
