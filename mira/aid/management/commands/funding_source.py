"""Funding sources of the installation (the same for every centre), for the operator.

manage.py funding_source list
manage.py funding_source add esf-plus "ESF Plus"
manage.py funding_source rename esf-plus "ESF Plus Thüringen"
manage.py funding_source deactivate esf-plus      # no longer offered; budgets and bookings stay
manage.py funding_source activate esf-plus
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from mira.aid.models import FundingSource


class Command(BaseCommand):
    help = "Lists, adds, renames, deactivates and activates the funding sources of in-kind aid."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list")
        add = actions.add_parser("add")
        add.add_argument("code")
        add.add_argument("name")
        rename = actions.add_parser("rename")
        rename.add_argument("code")
        rename.add_argument("name")
        for name in ("deactivate", "activate"):
            actions.add_parser(name).add_argument("code")

    @transaction.atomic
    def handle(self, *args, action, **options):
        if action == "list":
            for source in FundingSource.objects.order_by("name"):
                state = "active" if source.is_active else "inactive"
                self.stdout.write(f"{source.code:20} {source.name} ({state})")
            return
        code = options["code"]
        if action == "add":
            if slugify(code) != code or len(code) > 20:
                raise CommandError("The code takes lowercase letters, digits and hyphens, at most 20 (e.g. esf-plus).")
            name = options["name"].strip()
            if not name or len(name) > 100:
                raise CommandError("The name must have 1 to 100 characters.")
            if FundingSource.objects.filter(code=code).exists():
                raise CommandError(f"A funding source with the code {code!r} exists already.")
            FundingSource.objects.create(code=code, name=name)
            self.stdout.write(self.style.SUCCESS(f"Funding source {name} ({code}) added."))
            return
        source = FundingSource.objects.select_for_update().filter(code=code).first()
        if source is None:
            raise CommandError(f"No funding source with the code {code!r}.")
        if action == "rename":
            name = options["name"].strip()
            if not name or len(name) > 100:
                raise CommandError("The name must have 1 to 100 characters.")
            source.name = name
        else:
            source.is_active = action == "activate"
        source.save()
        self.stdout.write(self.style.SUCCESS(f"Funding source {source.code}: {action} done."))
