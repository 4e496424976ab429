"""Synthetic documents at federal scale: rows only, no stored bytes.

The benchmark needs the rows (case pages list them, the audit reads their history); writing
a file per row would only measure the disk. A synthetic document therefore points at a storage
key that holds nothing: its download answers "not found" and logs the missing file, as it
would for a file lost from storage. Everything else (lists, counts, history) is real.
"""

import datetime
import uuid

from mira.core.synthetic import SyntheticContext, bulk_insert, history_rows, row
from mira.documents.demo import KINDS
from mira.documents.models import Document
from mira.participants.models import CaseEvent

DOCUMENTS_PER_CASE = (0, 3)


def generate(ctx: SyntheticContext) -> None:
    rng = ctx.random
    for chunk in ctx.chunks():
        documents = []
        for case in chunk:
            last = case.closed or ctx.today
            for title, category, filename, _text in rng.sample(KINDS, rng.randint(*DOCUMENTS_PER_CASE)):
                key = uuid.uuid4()
                day = case.opened + datetime.timedelta(days=rng.randint(0, max(0, (last - case.opened).days)))
                documents.append(
                    row(
                        Document,
                        uuid=key,
                        participant_id=case.pk,
                        title=title,
                        category=category,
                        file=f"cases/{case.centre_id}/{key}",
                        original_filename=filename,
                        content_type="image/png" if filename.endswith(".png") else "application/pdf",
                        size=rng.randint(40_000, 2_500_000),
                        sha256=f"{rng.getrandbits(256):064x}",
                        uploaded_by_id=case.counsellor_id,
                        uploaded_at=ctx.moment(day),
                    )
                )
        created = bulk_insert(Document, documents)
        events = [
            row(CaseEvent, participant_id=document.participant_id, kind="document_uploaded", actor_id=document.uploaded_by_id,
                      at=document.uploaded_at, data={"title": document.title, "category": document.category})
            for document in created
        ]  # fmt: skip
        bulk_insert(CaseEvent, events)
        history = history_rows(Document, [(d, d.uploaded_at, d.uploaded_by_id) for d in created])
        bulk_insert(Document.history.model, history)
