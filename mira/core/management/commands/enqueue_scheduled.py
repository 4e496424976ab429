import importlib

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Enqueues the periodic jobs (reminders, deletion runs, deleting unfetched export PDFs) on the task queue; "
        "run it from cron or a systemd timer, e.g. hourly. The worker (db_worker) runs them."
    )

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            if not config.name.startswith("mira."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.tasks")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.tasks":
                    raise
                continue
            for scheduled in getattr(module, "SCHEDULED_TASKS", []):
                result = scheduled.enqueue()
                self.stdout.write(f"enqueued {scheduled.name} ({result.id})")
