import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from mira.documents.selectors import orphaned_files
from mira.documents.services import orphaned_files_delete


class Command(BaseCommand):
    help = (
        "Lists stored files that no document refers to any more (left behind when a transaction that "
        "had stored a file was rolled back); with --delete removes them. Files younger than "
        "--older-than-hours are left alone, since an upload may still be on its way into the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Remove the files (default: only list them).")
        parser.add_argument("--older-than-hours", type=int, default=24)

    def handle(self, *args, **options):
        cutoff = timezone.now() - datetime.timedelta(hours=options["older_than_hours"])
        names = orphaned_files(older_than=cutoff)
        for name in names:
            self.stdout.write(name)
        if options["delete"]:
            orphaned_files_delete(names=names)
            self.stdout.write(f"{len(names)} orphaned files removed.")
        else:
            self.stdout.write(f"{len(names)} orphaned files (run with --delete to remove them).")
