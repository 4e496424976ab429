import importlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_scopes import scopes_disabled

from mira.accounts.models import User
from mira.core.demo import DEMO_APPS, DEMO_PASSWORD, DemoContext


class Command(BaseCommand):
    help = "Loads synthetic demo data (centres, accounts of every role, cases). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load even when MIRA_DEMO is not set.")

    def handle(self, *args, **options):
        if not (settings.DEMO_MODE or options["force"]):
            raise CommandError("Demo data is only loaded with MIRA_DEMO=1 (or --force): never in production.")
        with scopes_disabled():
            if User.objects.filter(username="beratung", is_demo_account=True).exists():
                self.stdout.write("Demo data is already loaded.")
            else:
                self._load()
            self._print_logins()

    @transaction.atomic
    def _load(self):
        ctx = DemoContext()
        for app in DEMO_APPS:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{app}.demo":
                    raise
                continue
            module.load(ctx)
            self.stdout.write(f"  demo data: {app.split('.')[-1]}")

    def _print_logins(self):
        self.stdout.write(self.style.SUCCESS("\nMIRA demo: open http://127.0.0.1:8000 and log in with"))
        for user in (
            User.objects.filter(is_demo_account=True)
            .select_related("centre", "partner_organisation")
            .order_by("centre__code", "username")
        ):
            where = user.centre.name if user.centre else user.partner_organisation.name
            self.stdout.write(f"  {user.username:<12} {user.get_role_display():<40} {where}")
        self.stdout.write(f"  password for all: {DEMO_PASSWORD}\n")
