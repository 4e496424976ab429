"""Every upload endpoint of the project refuses polyglots, disguised files and oversized files,
says why next to the file field, and stores nothing (no row, no file in the storage).

The rules themselves are tested in mira/documents/tests/test_validation.py; here each form that
takes a file from a browser is shown to apply them."""

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from mira.documents.models import Document
from mira.documents.samples import tiny_pdf, tiny_png
from mira.participants.models import CaseEvent, Stage
from mira.participants.tests.factories import ParticipantFactory

TODAY = timezone.localdate()


def polyglot_png() -> SimpleUploadedFile:
    """A valid PNG with a script appended after its end."""
    return SimpleUploadedFile("Foto.png", tiny_png() + b"<script>alert(1)</script>", content_type="image/png")


def html_as_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("Pass.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")


def program_as_png() -> SimpleUploadedFile:
    return SimpleUploadedFile("Foto.png", b"MZ\x90\x00" + b"\x00" * 600, content_type="image/png")


def pdf_named_png() -> SimpleUploadedFile:
    return SimpleUploadedFile("Scan.png", tiny_pdf("Scan"), content_type="image/png")


def oversized_pdf() -> SimpleUploadedFile:
    """A real PDF, larger than the limit the tests set (see the `small_limit` fixture)."""
    return SimpleUploadedFile("Gross.pdf", tiny_pdf("Gross") + b"%" * 4096, content_type="application/pdf")


BAD_FILES = {
    "polyglot PNG": (polyglot_png, "Dieses PNG-Bild enthält nach seinem Ende weitere Daten"),
    "web page named .pdf": (html_as_pdf, "Hochgeladen werden können nur PDF-, JPEG- und PNG-Dateien"),
    "program named .png": (program_as_png, "Hochgeladen werden können nur PDF-, JPEG- und PNG-Dateien"),
    "PDF named .png": (pdf_named_png, "passt nicht zum Inhalt"),
    "too large": (oversized_pdf, "Die Datei ist zu groß"),
}


@dataclass
class Endpoint:
    user: object
    url: str
    data: dict
    file_field: str


def _documents_upload(ctx) -> Endpoint:
    url = reverse("documents:upload", kwargs={"participant_id": ctx.participant.pk})
    return Endpoint(ctx.counsellor, url, {"title": "Reisepass", "category": "passport"}, "file")


def _consent_form(ctx) -> Endpoint:
    url = reverse("privacy:consent_record", kwargs={"participant_id": ctx.participant.pk, "purpose": "partner_sharing"})
    return Endpoint(ctx.counsellor, url, {"given_on": TODAY.isoformat(), "language": "de", "notes": ""}, "signed_form")


def _aid_proof(ctx) -> Endpoint:
    from mira.aid.models import AidStatus
    from mira.aid.tests.factories import BudgetFactory, advance, make_request

    budget = BudgetFactory(centre=ctx.centre, updated_by=ctx.coordinator)
    request = advance(
        make_request(ctx.participant, actor=ctx.counsellor),
        AidStatus.PAID,
        coordinator=ctx.coordinator,
        finance=ctx.finance,
        source=budget.funding_source,
    )
    url = reverse("aid:proof_add", kwargs={"pk": request.pk})
    return Endpoint(ctx.finance, url, {"kind": "receipt", "reference": "RE-77"}, "file")


def _task_attachment(ctx) -> Endpoint:
    from mira.accompaniment.tests.factories import TaskFactory

    task = TaskFactory(participant=ctx.participant, responsible=ctx.counsellor)
    url = reverse("accompaniment:task_attach", kwargs={"participant_pk": ctx.participant.pk, "pk": task.pk})
    return Endpoint(ctx.counsellor, url, {"title": "Geburtsurkunde", "category": "other"}, "file")


def _roadmap_signed_scan(ctx) -> Endpoint:
    from mira.roadmap.tests.factories import GoalFactory, RoadmapFactory, RoadmapVersionFactory

    ctx.participant.stage = Stage.ROADMAP_DEVELOPMENT
    ctx.participant.save()
    draft = RoadmapVersionFactory(roadmap=RoadmapFactory(participant=ctx.participant, created_by=ctx.counsellor))
    GoalFactory(version=draft)
    url = reverse("roadmap:agree", kwargs={"participant_pk": ctx.participant.pk})
    data = {"agreed_on": TODAY.isoformat(), "method": "paper", "participant_signed": "on", "counsellor_signed": "on"}
    return Endpoint(ctx.counsellor, url, data, "signed_file")


def _goal_evidence(ctx) -> Endpoint:
    from mira.roadmap.tests.factories import AgreedVersionFactory, GoalFactory, RoadmapFactory

    version = AgreedVersionFactory(roadmap=RoadmapFactory(participant=ctx.participant, created_by=ctx.counsellor))
    goal = GoalFactory(version=version)
    url = reverse("roadmap:goal_status", kwargs={"participant_pk": ctx.participant.pk, "goal_pk": goal.pk})
    data = {"status": "reached", "status_reason": "", "evidence_note": "Zertifikat gesehen", "comment": ""}
    return Endpoint(ctx.counsellor, url, data, "evidence_file")


ENDPOINTS = {
    "documents:upload": _documents_upload,
    "privacy:consent_record": _consent_form,
    "aid:proof_add": _aid_proof,
    "accompaniment:task_attach": _task_attachment,
    "roadmap:agree": _roadmap_signed_scan,
    "roadmap:goal_status": _goal_evidence,
}


@dataclass
class Cast:
    centre: object
    counsellor: object
    coordinator: object
    finance: object
    participant: object


@pytest.fixture
def ctx(centre, counsellor, coordinator, finance):
    participant = ParticipantFactory(centre=centre, assigned_counsellor=counsellor, case_number="EF-2026-0077")
    return Cast(centre, counsellor, coordinator, finance, participant)


@pytest.fixture
def small_limit(settings):
    settings.MIRA_UPLOAD_MAX_BYTES = 4096


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.django_db
@pytest.mark.parametrize("bad", list(BAD_FILES))
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_upload_of_a_bad_file_is_refused_and_stores_nothing(client, ctx, small_limit, endpoint, bad):
    target = ENDPOINTS[endpoint](ctx)
    make_file, message = BAD_FILES[bad]
    documents, events, files = Document.objects.count(), CaseEvent.objects.count(), _stored_files()
    client.force_login(target.user)

    response = client.post(target.url, {**target.data, target.file_field: make_file()})

    assert response.status_code in (200, 400), response.status_code
    assert message in response.content.decode()
    assert (Document.objects.count(), CaseEvent.objects.count(), _stored_files()) == (documents, events, files)


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_upload_of_a_good_file_is_stored(client, ctx, small_limit, endpoint):
    """The same endpoints take a proper file (so the refusals above are about the file)."""
    target = ENDPOINTS[endpoint](ctx)
    client.force_login(target.user)
    documents = Document.objects.count()

    response = client.post(
        target.url, {**target.data, target.file_field: SimpleUploadedFile("Scan.pdf", tiny_pdf("Scan"))}
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Document.objects.count() == documents + 1
    assert len(_stored_files()) == documents + 1


@pytest.mark.django_db
def test_directory_import_refuses_a_file_larger_than_5_mb(client, coordinator):
    from mira.network.models import Organisation

    client.force_login(coordinator)
    big = SimpleUploadedFile("netzwerk.csv", b"name;country\n" + b"x;DE\n" * (1024 * 1024 + 1), content_type="text/csv")
    response = client.post(reverse("network:import"), {"file": big})
    assert "Die Datei ist größer als 5 MB." in response.content.decode()
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_directory_import_refuses_a_web_page_named_csv(client, coordinator):
    from mira.network.models import Organisation

    client.force_login(coordinator)
    page = SimpleUploadedFile("netzwerk.xlsx", b"<html><script>alert(1)</script></html>")
    response = client.post(reverse("network:import"), {"file": page})
    assert response.status_code in (200, 400)
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert Organisation.objects.count() == 0
