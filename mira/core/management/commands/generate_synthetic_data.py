import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from mira.core.synthetic import SYNTHETIC_CENTRE_PREFIX, generate


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

        if options["participants"] < 1 or options["centres"] < 1:
            raise CommandError("Give at least one participant and one centre.")
        if Centre.objects.filter(name__startswith=SYNTHETIC_CENTRE_PREFIX).exists():
            raise CommandError("Synthetic data is already present.")
        if not options["yes"]:
            answer = input(
                f"Write {options['participants']} synthetic cases into {connection.settings_dict['NAME']}? [y/N] "
            )
            if answer.strip().lower() != "y":
                raise CommandError("Cancelled.")
        started = time.monotonic()
        ctx = generate(
            participants=options["participants"],
            centres=options["centres"],
            report=lambda step, seconds: self.stdout.write(f"  {step:<14} {seconds:6.1f} s"),
        )
        self.stdout.write(self.style.SUCCESS(f"{len(ctx.cases)} cases in {time.monotonic() - started:.0f} s."))
