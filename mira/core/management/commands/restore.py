from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mira.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restores a backup archive into an empty database and an empty document storage."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, **options):
        if not options["archive"].is_file():
            raise CommandError(f"No such file: {options['archive']}")
        try:
            result = restore_backup(archive_path=options["archive"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the database and {result['documents_restored']} documents from {options['archive']}."
            )
        )
