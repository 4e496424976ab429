from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mira.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Writes a backup (PostgreSQL dump and all documents) to one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="Archive file to write (default: mira-backup-<timestamp>.tar.gz in the current folder).",
        )

    def handle(self, *args, **options):
        output = options["output"] or Path(f"mira-backup-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        try:
            manifest = backup_create(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {output} ({manifest['documents']} documents)."))
