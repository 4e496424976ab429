"""Demo documents (small generated PDFs and a PNG) on some Erfurt cases, and read-access
log entries (case pages opened, documents downloaded) for the data protection officer."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mira.core.demo import DemoContext
from mira.documents.models import Document, DocumentCategory
from mira.documents.samples import tiny_pdf, tiny_png
from mira.documents.services import document_create
from mira.participants.models import CaseEvent
from mira.privacy.models import AccessLog

# title, category, file name, text on the page
KINDS = [
    ("Reisepass (Kopie)", DocumentCategory.PASSPORT, "Reisepass_Kopie.pdf", "Kopie Reisepass"),
    ("Duldung", DocumentCategory.RESIDENCE, "Duldung_Scan.pdf", "Bescheinigung ueber die Aussetzung der Abschiebung"),
    ("Grenzübertrittsbescheinigung", DocumentCategory.CORRESPONDENCE, "GUEB.pdf", "Grenzuebertrittsbescheinigung"),
    ("Schreiben der Ausländerbehörde", DocumentCategory.CORRESPONDENCE, "Schreiben_ABH.pdf", "Auslaenderbehoerde"),
    ("Zertifikat Existenzgründungskurs", DocumentCategory.CERTIFICATE, "Zertifikat_Gruendung.pdf", "Zertifikat"),
    ("Sprachzertifikat Deutsch A2", DocumentCategory.CERTIFICATE, "Sprachzertifikat_A2.pdf", "Zertifikat Deutsch A2"),
    ("Foto Geburtsurkunde Kind", DocumentCategory.OTHER, "Geburtsurkunde.png", ""),
]


def load(ctx: DemoContext) -> None:
    rng = ctx.random
    centre = ctx.centres.get("EF")
    erfurt = [p for p in ctx.participants if centre and p.centre_id == centre.pk]
    if not erfurt:
        return
    documents = []
    for participant in rng.sample(erfurt, min(30, len(erfurt))):
        for title, category, filename, text in rng.sample(KINDS, rng.randint(1, 3)):
            content = tiny_pdf(f"{text} - {participant.case_number}") if filename.endswith(".pdf") else tiny_png(4, 3)
            document = document_create(
                participant=participant,
                uploaded_file=SimpleUploadedFile(filename, content),
                title=title,
                category=category,
                actor=participant.assigned_counsellor,
            )
            day = min(ctx.today, participant.opened_on + datetime.timedelta(days=rng.randint(0, 60)))
            _backdate(document, _moment(rng, day))
            documents.append(document)
    _read_log(ctx, erfurt, documents)


def _moment(rng, day: datetime.date) -> datetime.datetime:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randint(8, 17), rng.randint(0, 59))))
    return min(moment, timezone.now())


def _backdate(document: Document, moment: datetime.datetime) -> None:
    Document.objects.filter(pk=document.pk).update(uploaded_at=moment)
    Document.history.filter(id=document.pk).update(history_date=moment)
    CaseEvent.objects.filter(
        participant=document.participant, kind="document_uploaded", data__title=document.title, at__gt=moment
    ).update(at=moment)


def _read_log(ctx: DemoContext, participants: list, documents: list) -> None:
    """Reads of the last four weeks: case pages by their counsellors and the coordinators, a few downloads."""
    rng = ctx.random
    readers = [ctx.users[name] for name in ("leitung", "leitung2", "psychologie") if name in ctx.users]
    entries = []
    for participant in rng.sample(participants, min(60, len(participants))):
        for _ in range(rng.randint(1, 4)):
            user = participant.assigned_counsellor if rng.random() < 0.7 or not readers else rng.choice(readers)
            entries.append(
                AccessLog(
                    at=_moment(rng, ctx.days(-rng.randint(0, 28))),
                    user=user,
                    centre_id=participant.centre_id,
                    participant=participant,
                    case_number=participant.case_number,
                    what=AccessLog.What.CASE,
                    path=f"/cases/{participant.pk}/",
                )
            )
    for document in rng.sample(documents, min(20, len(documents))):
        entries.append(
            AccessLog(
                at=_moment(rng, ctx.days(-rng.randint(0, 20))),
                user=document.participant.assigned_counsellor,
                centre_id=document.participant.centre_id,
                participant=document.participant,
                case_number=document.participant.case_number,
                what=AccessLog.What.DOCUMENT,
                object_id=str(document.pk),
                path=f"/documents/{document.uuid}/download/",
            )
        )
    AccessLog.objects.bulk_create(entries)
