import importlib
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django_scopes import scopes_disabled

from mira.core.synthetic import SYNTHETIC_APPS, SyntheticContext


class Command(BaseCommand):
    help = (
        "Generates synthetic cases with their records (default 100,000 participants over 20 centres) "
        "for load tests and the benchmark. Never on a production database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, default=100_000)
        parser.add_argument("--centres", type=int, default=20)
        parser.add_argument("--yes", action="store_true", help="Do not ask before writing.")

    def handle(self, *args, **options):
        from mira.accounts.models import Centre

        if Centre.objects.filter(name__startswith="Synthetic centre").exists():
            raise CommandError("Synthetic data is already present.")
        if not options["yes"]:
            answer = input(
                f"Write {options['participants']} synthetic cases into {connection.settings_dict['NAME']}? [y/N] "
            )
            if answer.strip().lower() != "y":
                raise CommandError("Cancelled.")
        ctx = SyntheticContext(participants=options["participants"], centres_count=options["centres"])
        started = time.monotonic()
        with scopes_disabled(), transaction.atomic():
            for app in SYNTHETIC_APPS:
                try:
                    module = importlib.import_module(f"{app}.synthetic")
                except ModuleNotFoundError as error:
                    if error.name != f"{app}.synthetic":
                        raise
                    continue
                step = time.monotonic()
                module.generate(ctx)
                self.stdout.write(f"  {app.split('.')[-1]:<14} {time.monotonic() - step:6.1f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"{len(ctx.cases)} cases in {time.monotonic() - started:.0f} s."))
