import datetime
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from mira.documents.selectors import orphaned_files
from mira.documents.tests.factories import make_document
from mira.participants.tests.factories import ParticipantFactory


def test_orphaned_files_lists_only_files_without_document(centre, counsellor):
    document = make_document(participant=ParticipantFactory(centre=centre, assigned_counsellor=counsellor))
    orphan = default_storage.save(f"cases/{centre.pk}/left-behind", ContentFile(b"%PDF-1.4"))
    later = timezone.now() + datetime.timedelta(minutes=1)
    assert orphaned_files(older_than=later) == [orphan]
    assert orphaned_files(older_than=timezone.now() - datetime.timedelta(hours=1)) == []
    assert default_storage.exists(document.file.name)


def test_orphaned_files_without_any_upload_is_empty(db):
    assert orphaned_files(older_than=timezone.now()) == []


def test_documents_orphans_command_deletes_only_with_the_flag(centre, counsellor):
    document = make_document(participant=ParticipantFactory(centre=centre, assigned_counsellor=counsellor))
    orphan = default_storage.save(f"cases/{centre.pk}/left-behind", ContentFile(b"x"))
    listing = io.StringIO()
    call_command("documents_orphans", "--older-than-hours=0", stdout=listing)
    assert listing.getvalue().splitlines() == [orphan, "1 orphaned files (run with --delete to remove them)."]
    assert default_storage.exists(orphan)
    call_command("documents_orphans", "--older-than-hours=0", "--delete", stdout=io.StringIO())
    assert not default_storage.exists(orphan)
    assert default_storage.exists(document.file.name)
