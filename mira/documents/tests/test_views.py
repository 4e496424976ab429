import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django_scopes import scope

from mira.documents.models import Document
from mira.documents.samples import tiny_pdf, tiny_png
from mira.documents.tests.factories import make_document, pdf_upload
from mira.participants.tests.factories import ParticipantFactory
from mira.privacy.models import AccessLog


@pytest.fixture
def participant(centre, counsellor):
    return ParticipantFactory(centre=centre, assigned_counsellor=counsellor, case_number="EF-2026-0007")


def _upload(client, participant, **data):
    return client.post(reverse("documents:upload", kwargs={"participant_id": participant.pk}), data)


def test_upload_page_shows_the_form(client, counsellor, participant):
    client.force_login(counsellor)
    response = client.get(reverse("documents:upload", kwargs={"participant_id": participant.pk}))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()
    assert "PDF, JPEG oder PNG, höchstens 10 MB." in response.content.decode()


def test_upload_valid_pdf_saves_and_redirects(client, counsellor, participant):
    client.force_login(counsellor)
    response = _upload(client, participant, title="Reisepass", category="passport", file=pdf_upload())
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.participant, document.title, document.category) == (participant, "Reisepass", "passport")
    assert document.uploaded_by == counsellor


def test_upload_executable_renamed_to_pdf_keeps_input_and_saves_nothing(client, counsellor, participant):
    client.force_login(counsellor)
    fake = SimpleUploadedFile("Bescheid.pdf", b"MZ\x90\x00\x03" + b"\x00" * 300, content_type="application/pdf")
    response = _upload(client, participant, title="Bescheid der ABH", category="correspondence", file=fake)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": [
            "Hochgeladen werden können nur PDF-, JPEG- und PNG-Dateien. Der Inhalt dieser Datei ist nichts davon "
            "– ganz gleich, wie sie heißt."
        ]
    }
    assert 'value="Bescheid der ABH"' in html
    assert '<option value="correspondence" selected>' in html
    assert 'aria-describedby="id_file_error"' in html
    assert Document.objects.count() == 0


def test_upload_over_the_limit_names_the_limit(client, counsellor, participant, settings):
    settings.MIRA_UPLOAD_MAX_BYTES = 1024 * 1024
    client.force_login(counsellor)
    big = SimpleUploadedFile("gross.pdf", tiny_pdf() + b"%" * (2 * 1024 * 1024))
    response = _upload(client, participant, title="Groß", category="other", file=big)
    assert response.context["form"].errors == {"file": ["Die Datei ist zu groß (2 MB). Erlaubt sind höchstens 1 MB."]}
    assert Document.objects.count() == 0


def test_upload_without_title_keeps_category(client, counsellor, participant):
    client.force_login(counsellor)
    response = _upload(client, participant, title="", category="certificate", file=pdf_upload())
    assert response.context["form"].errors == {"title": ["Dieses Feld ist zwingend erforderlich."]}
    assert '<option value="certificate" selected>' in response.content.decode()
    assert Document.objects.count() == 0


def test_upload_by_psychologist_is_forbidden(client, psychologist, participant):
    client.force_login(psychologist)
    response = _upload(client, participant, title="X", category="other", file=pdf_upload())
    assert response.status_code == 403
    assert Document.objects.count() == 0


def test_upload_to_other_centre_case_is_not_found(client, counsellor_other_centre, participant):
    client.force_login(counsellor_other_centre)
    response = _upload(client, participant, title="X", category="other", file=pdf_upload())
    assert response.status_code == 404
    assert Document.objects.count() == 0


def test_download_streams_the_file_as_attachment_and_logs_the_read(client, counsellor, participant):
    document = make_document(participant=participant, upload=pdf_upload("Pass Scan.pdf"))
    client.force_login(counsellor)
    response = client.get(reverse("documents:download", kwargs={"uuid": document.uuid}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == tiny_pdf("Reisepass")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Pass Scan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    log = AccessLog.objects.get()
    assert (log.user, log.participant, log.case_number, log.what, log.object_id) == (
        counsellor,
        participant,
        "EF-2026-0007",
        "document",
        str(document.pk),
    )


def test_download_filename_takes_the_ending_from_the_content(client, counsellor, participant):
    upload = SimpleUploadedFile('Foto "neu".PNG', tiny_png())
    document = make_document(participant=participant, upload=upload)
    client.force_login(counsellor)
    response = client.get(reverse("documents:download", kwargs={"uuid": document.uuid}))
    assert response["Content-Disposition"] == 'attachment; filename="Foto _neu_.png"'


def test_download_non_ascii_filename_is_encoded(client, counsellor, participant):
    document = make_document(participant=participant, upload=pdf_upload("Bescheinigung Ausländerbehörde.pdf"))
    client.force_login(counsellor)
    response = client.get(reverse("documents:download", kwargs={"uuid": document.uuid}))
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Bescheinigung%20Ausl%C3%A4nderbeh%C3%B6rde.pdf"
    )


def test_download_by_outsider_is_not_found_and_not_logged(client, counsellor_other_centre, participant, caplog):
    document = make_document(participant=participant)
    client.force_login(counsellor_other_centre)
    response = client.get(reverse("documents:download", kwargs={"uuid": document.uuid}))
    assert response.status_code == 404
    assert AccessLog.objects.count() == 0
    probes = [r.getMessage() for r in caplog.records if r.name == "mira.security"]
    assert probes == [
        f"Object not found or out of scope: user={counsellor_other_centre.pk} "
        f"path=/documents/{document.uuid}/download/ lookup={{'uuid': UUID('{document.uuid}')}}"
    ]


def test_download_by_psychologist_is_forbidden(client, psychologist, participant):
    document = make_document(participant=participant)
    client.force_login(psychologist)
    response = client.get(reverse("documents:download", kwargs={"uuid": document.uuid}))
    assert response.status_code == 403
    assert AccessLog.objects.count() == 0


def test_download_receipt_by_finance_is_allowed(client, finance, participant):
    document = make_document(participant=participant, category="receipt", title="Quittung Laptop")
    client.force_login(finance)
    response = client.get(reverse("documents:download", kwargs={"uuid": document.uuid}))
    assert response.status_code == 200
    assert AccessLog.objects.get().user == finance


def test_download_passport_by_finance_is_forbidden(client, finance, participant):
    document = make_document(participant=participant, category="passport")
    client.force_login(finance)
    response = client.get(reverse("documents:download", kwargs={"uuid": document.uuid}))
    assert response.status_code == 403


def test_delete_removes_the_document(client, coordinator, participant, django_capture_on_commit_callbacks):
    document = make_document(participant=participant)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:delete", kwargs={"uuid": document.uuid}))
    assert response.status_code == 302
    assert Document.objects.count() == 0
    assert not document.file.storage.exists(document.file.name)


def test_delete_by_get_is_not_allowed(client, counsellor, participant):
    document = make_document(participant=participant)
    client.force_login(counsellor)
    response = client.get(reverse("documents:delete", kwargs={"uuid": document.uuid}))
    assert response.status_code == 405
    assert Document.objects.count() == 1


def test_delete_by_outsider_is_not_found(client, counsellor_other_centre, participant):
    document = make_document(participant=participant)
    client.force_login(counsellor_other_centre)
    response = client.post(reverse("documents:delete", kwargs={"uuid": document.uuid}))
    assert response.status_code == 404
    assert Document.objects.count() == 1


def _render_card(user, participant) -> str:
    request = RequestFactory().get("/")
    request.user = user
    with scope(centre=user.centre_id):
        return Template("{% load documents_tags %}{% case_documents participant %}").render(
            Context({"request": request, "participant": participant})
        )


def test_case_documents_card_lists_documents_with_actions(counsellor, participant):
    make_document(participant=participant, title="Geburtsurkunde", category="certificate")
    html = _render_card(counsellor, participant)
    assert "Geburtsurkunde" in html
    assert "Zeugnis oder Zertifikat" in html
    assert 'data-confirm="Dokument „Geburtsurkunde“ löschen? Das kann nicht rückgängig gemacht werden."' in html
    assert reverse("documents:upload", kwargs={"participant_id": participant.pk}) in html


def test_case_documents_card_is_empty_for_psychologist(psychologist, participant):
    make_document(participant=participant, title="Geburtsurkunde")
    assert _render_card(psychologist, participant).strip() == ""


@pytest.mark.parametrize("count", [1, 12])
def test_case_documents_card_queries_do_not_grow(counsellor, participant, count, django_assert_max_num_queries):
    for number in range(count):
        make_document(participant=participant, title=f"Dokument {number}")
    with django_assert_max_num_queries(1):
        html = _render_card(counsellor, participant)
    assert html.count('class="bi bi-download"') == count


def test_delete_signed_consent_form_shows_the_reason(client, counsellor, participant):
    from mira.privacy.tests.factories import ConsentFactory

    document = make_document(participant=participant, category="consent", title="Einwilligung")
    ConsentFactory(participant=participant, signed_form=document)
    client.force_login(counsellor)
    response = client.post(reverse("documents:delete", kwargs={"uuid": document.uuid}), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Dieses Dokument kann nicht gelöscht werden: Es ist der Nachweis eines anderen Eintrags (Einwilligung)."
    ]
    assert Document.objects.count() == 1
