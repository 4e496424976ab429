import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import trans_real
from pypdf import PdfReader

from mira.accounts.models import Role
from mira.core.personal_data import REGISTRY
from mira.network.tests.factories import OrganisationFactory
from mira.participants.models import CaseEvent, Participant, Stage
from mira.participants.tests.factories import ParticipantFactory
from mira.privacy.exporters import (
    COMMON_LABELS,
    _export_fields,
    display_value,
    export_json,
    export_pdf,
    field_label,
    has_own_label,
    printed_labels,
    subject_sections,
)
from mira.privacy.models import (
    AccessLog,
    DataSubjectExport,
    DataSubjectRequest,
    DeletionRun,
    ErasedCase,
    ExportStatus,
    RequestKind,
    RequestStatus,
)
from mira.privacy.services import (
    add_one_month,
    data_subject_export_make,
    data_subject_export_request,
    data_subject_request_record,
)
from mira.privacy.tasks import make_data_subject_export
from mira.privacy.templatetags.privacy_tags import text_direction
from mira.privacy.tests.factories import (
    SECRET_NAME,
    DataSubjectExportFactory,
    DataSubjectRequestFactory,
    LegalHoldFactory,
    close_case,
    full_case,
)
from mira.roadmap.models import RoadmapShare, RoadmapVersion
from mira.roadmap.tests.factories import AgreedVersionFactory, RoadmapFactory, RoadmapShareFactory

CLOSED_ON = datetime.date(2021, 6, 30)


@pytest.fixture
def case(centre, counsellor):
    return ParticipantFactory(
        centre=centre, assigned_counsellor=counsellor, case_number="EF-2024-0010", preferred_language="ru"
    )


@pytest.fixture
def rich_case(centre, counsellor, coordinator, finance, psychologist):
    return full_case(
        centre=centre, counsellor=counsellor, coordinator=coordinator, finance=finance, psychologist=psychologist
    )


def _login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (datetime.date(2026, 3, 2), datetime.date(2026, 4, 2)),
        (datetime.date(2026, 1, 31), datetime.date(2026, 2, 28)),
        (datetime.date(2024, 1, 31), datetime.date(2024, 2, 29)),
        (datetime.date(2025, 12, 15), datetime.date(2026, 1, 15)),
    ],
)
def test_add_one_month_keeps_the_day_or_takes_the_last_of_the_month(received, due):
    assert add_one_month(received) == due


def test_data_subject_request_record_sets_due_date_and_timeline(case, data_protection):
    request = data_subject_request_record(
        centre=case.centre,
        case_number=" ef-2024-0010 ",
        kind=RequestKind.ACCESS,
        received_on=datetime.date(2026, 3, 2),
        notes="Per Brief",
        actor=data_protection,
    )
    request.refresh_from_db()
    assert (request.participant, request.case_number, request.due_on, request.status, request.notes) == (
        case,
        "EF-2024-0010",
        datetime.date(2026, 4, 2),
        "open",
        "Per Brief",
    )
    event = CaseEvent.objects.get()
    assert (event.kind, event.data) == ("data_subject_request_received", {"request_kind": "access"})


def test_request_create_with_unknown_case_and_future_date_keeps_the_input(client, data_protection, case):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = _login(client, data_protection).post(
        reverse("privacy:request_create"),
        {"case_number": "EF-1999-0001", "kind": "erasure", "received_on": tomorrow.isoformat(), "notes": "Anruf"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "case_number": ["In Ihrer Beratungsstelle gibt es keinen Fall mit dieser Nummer."],
        "received_on": ["Das Datum darf nicht in der Zukunft liegen."],
    }
    html = response.content.decode()
    assert 'value="EF-1999-0001"' in html
    assert 'value="erasure" class="form-check-input" id="id_kind_2" required checked' in html
    assert DataSubjectRequest.objects.count() == 0


def test_request_create_saves_and_shows_the_request(client, data_protection, case):
    response = _login(client, data_protection).post(
        reverse("privacy:request_create"),
        {"case_number": "EF-2024-0010", "kind": "access", "received_on": "2026-03-02", "notes": ""},
        follow=True,
    )
    request = DataSubjectRequest.objects.get()
    assert response.redirect_chain == [(reverse("privacy:request_detail", kwargs={"pk": request.pk}), 302)]
    assert "Die Antwort muss bis 02.04.2026 erfolgen." in response.content.decode()


@pytest.mark.parametrize("count", [1, 30])
def test_request_list_queries_do_not_grow(client, data_protection, case, count, django_assert_max_num_queries):
    DataSubjectRequestFactory.create_batch(count, participant=case, recorded_by=data_protection,
                                           handled_by=data_protection)  # fmt: skip
    _login(client, data_protection)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("privacy:request_list"))
    assert response.content.decode().count('class="mira-case-number" href="/privacy/requests/') == count


def test_request_list_marks_overdue_open_requests(client, data_protection, case):
    DataSubjectRequestFactory(participant=case, received_on=datetime.date(2026, 1, 5), due_on=datetime.date(2026, 2, 5))
    DataSubjectRequestFactory(participant=case, status=RequestStatus.COMPLETED, due_on=datetime.date(2026, 2, 5))
    html = _login(client, data_protection).get(reverse("privacy:request_list")).content.decode()
    assert html.count("überfällig</span>") == (1 if timezone.localdate() > datetime.date(2026, 2, 5) else 0)


def test_request_list_of_another_centre_shows_nothing_of_this_one(client, make_user, other_centre, case):
    DataSubjectRequestFactory(participant=case)
    officer = make_user(Role.DATA_PROTECTION, centre=other_centre, username="datenschutz-ge")
    html = _login(client, officer).get(reverse("privacy:request_list")).content.decode()
    assert "EF-2024-0010" not in html
    assert "Keine Anfragen." in html


def test_request_detail_of_another_centre_is_not_found(client, make_user, other_centre, case):
    request = DataSubjectRequestFactory(participant=case)
    officer = make_user(Role.DATA_PROTECTION, centre=other_centre, username="datenschutz-ge")
    for name in ("privacy:request_detail", "privacy:request_erase"):
        assert _login(client, officer).get(reverse(name, kwargs={"pk": request.pk})).status_code == 404
    url = reverse("privacy:request_export_json", kwargs={"pk": request.pk})
    assert client.get(url).status_code == 404
    assert AccessLog.objects.count() == 0


def test_export_json_holds_every_registered_model_except_the_restricted(rich_case):
    document = json.loads(export_json(participant=rich_case))

    expected = {entry.label for entry in REGISTRY if not entry.restricted} - {"privacy.ErasedCase"}
    assert set(document["data"]) == expected
    assert document["case_number"] == "EF-2021-0007"
    assert document["data"]["participants.Participant"][0]["last_name"] == SECRET_NAME
    assert [member["first_name"] for member in document["data"]["participants.HouseholdMember"]] == ["Nino"]
    text = json.dumps(document)
    assert "schläft schlecht" not in text
    assert "Gespräch mit" not in text
    assert document["notes"][0].startswith("Falls Sie in der Beratungsstelle psychologisch unterstützt wurden")


def test_export_names_every_field_it_prints():
    # A field without a verbose name (a plain string Django makes from the attribute) would print
    # as "Created at" or "Agreed by", in English, in every language. The names are translatable,
    # and check-translations keeps their German complete.
    unnamed = [
        f"{entry.label}.{model_field.name}"
        for entry in REGISTRY
        if not entry.restricted
        for model_field in _export_fields(entry)
        if not has_own_label(model_field) and model_field.name not in COMMON_LABELS
    ]
    assert unnamed == []
    with translation.override("de"):
        assert field_label(Participant._meta.get_field("created_at")) == "Angelegt am"
        assert field_label(CaseEvent._meta.get_field("actor")) == "Von"


def _catalogue_key(label) -> str:
    # A lazy translation keeps its arguments: (msgid,) or, from pgettext_lazy, (context, msgid).
    return "\x04".join(label._args)


# English needs no entries: its texts are the source strings.
@pytest.mark.parametrize("language", ["ar", "fa", "ru", "tr"])
def test_export_prints_its_labels_in_every_participant_language(language):
    # Without an entry, Django falls back to German: a person reading the export in Arabic would
    # find "Fällig am" and "Antrag auf Hilfe … bewilligt" in it.
    labels = printed_labels()
    keys = {_catalogue_key(label) for label in labels}
    assert {"chosen offers", "Social support", "Task added: %(title)s (due %(due_on)s)", "aid\x04Approved"} <= keys
    catalogue = trans_real.translation(language)._catalog
    assert sorted(key for key in keys if not catalogue.get(key)) == []


def test_export_pdf_in_russian_has_no_german_names(rich_case):
    text = _pdf_text(export_pdf(participant=rich_case, language="ru"))
    assert "Члены домохозяйства" in text and "Haushaltsmitglieder" not in text
    assert "Заявки на помощь" in text or "заявки на помощь" in text.lower()
    for german in ("Fällig am", "Angelegt am", "Zuständig", "Gewählte Angebote"):
        assert german not in text


def test_export_prints_sectors_by_name_and_keeps_the_direction_of_typed_text(case):
    version = AgreedVersionFactory(roadmap=RoadmapFactory(participant=case), wished_sectors="agriculture it")
    with translation.override("de"):
        assert display_value(RoadmapVersion._meta.get_field("wished_sectors"), version) == "Landwirtschaft, IT"
    assert text_direction("Einwilligung nach Erklärung erteilt.") == "ltr"
    assert text_direction("«الروسية»") == "rtl"
    assert text_direction("20.03.2026, 10:44") == ""


def test_export_pdf_names_the_consents_a_sharing_checked(case):
    share = RoadmapShareFactory(
        version=AgreedVersionFactory(roadmap=RoadmapFactory(participant=case)), organisation=OrganisationFactory()
    )
    with translation.override("de"):
        assert display_value(RoadmapShare._meta.get_field("consent_purposes"), share) == (
            "Weitergabe an Partnerorganisationen im Rückkehrland, Schweigepflichtentbindung (§ 203 StGB)"
        )


def test_export_json_of_a_case_without_psychology_says_the_same(case):
    assert json.loads(export_json(participant=case))["notes"] == json.loads(export_json(participant=case))["notes"]
    assert len(json.loads(export_json(participant=case))["notes"]) == 2


def test_request_export_json_download_is_logged(client, data_protection, rich_case):
    request = DataSubjectRequestFactory(participant=rich_case, recorded_by=data_protection)
    url = reverse("privacy:request_export_json", kwargs={"pk": request.pk})
    response = _login(client, data_protection).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="MIRA-EF-2021-0007-Auskunft.json"'
    assert response["Cache-Control"] == "no-store"
    log = AccessLog.objects.filter(what="export").get()
    assert (log.user, log.participant, log.case_number, log.object_id, log.path) == (
        data_protection,
        rich_case,
        "EF-2021-0007",
        str(request.pk),
        url,
    )


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def _export_pdf(client, on_commit, request, language: str):
    """What the data protection officer does: ask for the PDF, let the worker make it, download it.
    The task runs here in the test's transaction; test_export_pdf_waits_for_the_worker... runs the queue."""
    with on_commit() as callbacks:
        response = client.post(reverse("privacy:request_export_pdf", kwargs={"pk": request.pk}), {"lang": language})
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:request_detail", kwargs={"pk": request.pk}) + "#request-export"
    assert len(callbacks) == 1  # the enqueueing, once the export is saved
    queued = DataSubjectExport.objects.get(request=request, language=language, status=ExportStatus.QUEUED)
    make_data_subject_export.call(export_id=queued.pk)
    export = DataSubjectExport.objects.get(request=request, language=language, status=ExportStatus.READY)
    url = reverse("privacy:request_export_download", kwargs={"pk": request.pk, "export_pk": export.pk})
    return client.post(url)


def test_request_export_pdf_in_the_participants_language(
    client, django_capture_on_commit_callbacks, data_protection, case
):
    request = DataSubjectRequestFactory(participant=case, recorded_by=data_protection)
    response = _export_pdf(_login(client, data_protection), django_capture_on_commit_callbacks, request, "ru")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="MIRA-EF-2024-0010-Auskunft-ru.pdf"'
    text = _pdf_text(response.content)
    assert "Ваши данные, хранящиеся в MIRA" in text
    assert "EF-2024-0010" in text
    assert AccessLog.objects.filter(what="export").count() == 1


def test_request_export_pdf_in_german_lists_the_household(
    client, django_capture_on_commit_callbacks, data_protection, rich_case
):
    request = DataSubjectRequestFactory(participant=rich_case, recorded_by=data_protection)
    response = _export_pdf(_login(client, data_protection), django_capture_on_commit_callbacks, request, "de")
    text = _pdf_text(response.content)
    assert "Ihre in MIRA gespeicherten Daten" in text
    assert "Haushaltsmitglieder" in text
    assert "Nino" in text
    assert "schläft schlecht" not in text
    assert "Schweigepflicht (§ 203 StGB)" in text


def test_request_export_pdf_counts_the_read_accesses_by_day_and_the_json_lists_each(
    client, django_capture_on_commit_callbacks, data_protection, case, counsellor
):
    days = [datetime.date(2026, 3, 2), datetime.date(2026, 3, 9)]
    for day, what, count in [(days[0], "case", 40), (days[0], "document", 3), (days[1], "case", 17)]:
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        AccessLog.objects.bulk_create(
            AccessLog(at=moment, user=counsellor, centre=case.centre, participant=case, case_number=case.case_number,
                      what=what)
            for _ in range(count)
        )  # fmt: skip
    request = DataSubjectRequestFactory(participant=case, recorded_by=data_protection)
    response = _export_pdf(_login(client, data_protection), django_capture_on_commit_callbacks, request, "de")
    text = _pdf_text(response.content)
    assert "Lesezugriffe insgesamt: 60. Nach Tagen:" in text
    assert "09.03.2026 · Fallakte aufgerufen · 17" in text
    assert "02.03.2026 · Fallakte aufgerufen · 40" in text
    assert "02.03.2026 · Dokument heruntergeladen · 3" in text
    # The JSON lists each access with its time, the download of the PDF just now included.
    accesses = json.loads(export_json(participant=case))["data"]["privacy.AccessLog"]
    assert [access["what"] for access in accesses].count("case") == 57 and len(accesses) == 61


def test_export_pdf_is_downloaded_once_then_deleted_and_the_page_says_by_whom(
    client, django_capture_on_commit_callbacks, data_protection, case
):
    request = DataSubjectRequestFactory(participant=case, recorded_by=data_protection)
    _login(client, data_protection)
    first = _export_pdf(client, django_capture_on_commit_callbacks, request, "de")
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    export = DataSubjectExport.objects.get(request=request)
    assert (export.status, export.content, export.fetched_by, export.size) == (
        ExportStatus.FETCHED,
        None,
        data_protection,
        len(first.content),
    )
    url = reverse("privacy:request_export_download", kwargs={"pk": request.pk, "export_pk": export.pk})
    again = client.post(url, follow=True)
    assert "Dieses PDF wurde bereits heruntergeladen und danach gelöscht." in again.content.decode()
    assert AccessLog.objects.filter(what="export").count() == 1
    html = client.get(reverse("privacy:request_exports", kwargs={"pk": request.pk})).content.decode()
    assert "Heruntergeladen am" in html and "every 2s" not in html
    assert "Herunterladen (" not in html


@pytest.mark.django_db(transaction=True)  # the worker checks the connection between tasks
def test_export_pdf_waits_for_the_worker_and_the_page_polls_meanwhile(
    client, django_capture_on_commit_callbacks, data_protection, case
):
    request = DataSubjectRequestFactory(participant=case, recorded_by=data_protection)
    _login(client, data_protection)
    url = reverse("privacy:request_export_pdf", kwargs={"pk": request.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"lang": "ru"})
        # A second click while it waits does not make a second one.
        client.post(url, {"lang": "ru"})
    export = DataSubjectExport.objects.get(request=request)
    assert export.status == ExportStatus.QUEUED
    page = client.get(reverse("privacy:request_detail", kwargs={"pk": request.pk})).content.decode()
    assert 'hx-trigger="every 2s, mira:refresh"' in page
    assert "PDF auf Russisch" in page and "Wartet auf den Hintergrunddienst" in page
    assert "ob der Hintergrunddienst" not in page
    # Still waiting after a minute: the page says the worker may not be running.
    DataSubjectExport.objects.filter(pk=export.pk).update(requested_at=timezone.now() - datetime.timedelta(minutes=2))
    part = client.get(reverse("privacy:request_exports", kwargs={"pk": request.pk})).content.decode()
    assert "ob der Hintergrunddienst (manage.py db_worker) läuft" in part
    assert 'hx-trigger="every 10s, mira:refresh"' in part
    _run_worker()
    part = client.get(reverse("privacy:request_exports", kwargs={"pk": request.pk})).content.decode()
    assert "every 2s" not in part
    assert "Herunterladen (" in part and "data-refresh-after" in part


def test_export_pdf_left_behind_by_a_stopped_worker_is_replaced(client, data_protection, case):
    request = DataSubjectRequestFactory(participant=case, recorded_by=data_protection)
    stuck = DataSubjectExportFactory(
        request=request, status=ExportStatus.RUNNING, content=None, finished_at=None,
        requested_at=timezone.now() - datetime.timedelta(hours=1),
    )  # fmt: skip
    fresh = data_subject_export_request(request=request, language="de", actor=data_protection)
    stuck.refresh_from_db()
    assert fresh.pk != stuck.pk and stuck.status == ExportStatus.FAILED


def test_export_pdf_that_fails_is_marked_and_the_page_says_to_try_again(client, data_protection, case, monkeypatch):
    request = DataSubjectRequestFactory(participant=case, recorded_by=data_protection)
    export = DataSubjectExportFactory(request=request, status=ExportStatus.QUEUED, content=None, finished_at=None)

    def broken(**kwargs):
        raise OSError("no fonts")

    monkeypatch.setattr("mira.privacy.exporters.export_pdf", broken)
    data_subject_export_make(export=export)
    export.refresh_from_db()
    assert (export.status, export.content) == (ExportStatus.FAILED, None)
    html = _login(client, data_protection).get(reverse("privacy:request_exports", kwargs={"pk": request.pk}))
    assert "Das PDF konnte nicht erstellt werden." in html.content.decode()


@pytest.mark.django_db(transaction=True)
def test_export_pdf_not_downloaded_in_time_is_deleted(client, data_protection, case, settings):
    settings.MIRA_EXPORT_KEEP_HOURS = 24
    request = DataSubjectRequestFactory(participant=case, recorded_by=data_protection)
    old = DataSubjectExportFactory(request=request, finished_at=timezone.now() - datetime.timedelta(hours=25))
    recent = DataSubjectExportFactory(request=request, finished_at=timezone.now() - datetime.timedelta(hours=23))
    # Before the scheduled job came by, the download refuses it already.
    url = reverse("privacy:request_export_download", kwargs={"pk": request.pk, "export_pk": old.pk})
    response = _login(client, data_protection).post(url, follow=True)
    assert "Dieses PDF wird nicht mehr aufbewahrt." in response.content.decode()
    old.refresh_from_db()
    assert (old.status, old.content) == (ExportStatus.EXPIRED, None)
    call_command("enqueue_scheduled", stdout=io.StringIO())
    DataSubjectExport.objects.filter(pk=recent.pk).update(finished_at=timezone.now() - datetime.timedelta(hours=30))
    _run_worker()
    recent.refresh_from_db()
    assert (recent.status, recent.content) == (ExportStatus.EXPIRED, None)
    assert AccessLog.objects.filter(what="export").count() == 0


def test_export_pdf_of_another_request_or_centre_is_not_found(client, make_user, other_centre, data_protection, case):
    export = DataSubjectExportFactory(request=DataSubjectRequestFactory(participant=case))
    other = DataSubjectRequestFactory(participant=case)
    _login(client, data_protection)
    url = reverse("privacy:request_export_download", kwargs={"pk": other.pk, "export_pk": export.pk})
    assert client.post(url).status_code == 404
    officer = make_user(Role.DATA_PROTECTION, centre=other_centre, username="datenschutz-ge")
    url = reverse("privacy:request_export_download", kwargs={"pk": export.request_id, "export_pk": export.pk})
    assert _login(client, officer).post(url).status_code == 404
    export.refresh_from_db()
    assert export.status == ExportStatus.READY and AccessLog.objects.filter(what="export").count() == 0


def test_export_pdf_in_an_unknown_language_is_refused(client, data_protection, case):
    request = DataSubjectRequestFactory(participant=case, recorded_by=data_protection)
    url = reverse("privacy:request_export_pdf", kwargs={"pk": request.pk})
    response = _login(client, data_protection).post(url, {"lang": "xx"}, follow=True)
    assert "Für diese Sprache gibt es keine Übersetzung der Auskunft." in response.content.decode()
    assert not DataSubjectExport.objects.exists()
    assert client.get(url).status_code == 405


def test_export_files_are_erased_with_the_case(data_protection, case):
    export = DataSubjectExportFactory(request=DataSubjectRequestFactory(participant=case))
    entry = next(entry for entry in REGISTRY if entry.label == "privacy.DataSubjectExport")
    assert list(entry.rows(case)) == [export]
    assert entry.erasure == "delete"
    # The export of the person lists the copies made, never their content.
    sections = {section.entry.label: section for section in subject_sections(participant=case)}
    printed = [f.name for f in sections["privacy.DataSubjectExport"].fields]
    assert "content" not in printed and "requested_at" in printed


def test_request_close_refusal_without_reason_keeps_the_request_open(client, data_protection, case):
    request = DataSubjectRequestFactory(participant=case, recorded_by=data_protection)
    response = _login(client, data_protection).post(
        reverse("privacy:request_close", kwargs={"pk": request.pk}), {"status": "refused", "outcome": ""}
    )
    assert response.status_code == 200
    assert response.context["close_form"].errors == {
        "outcome": ["Geben Sie den Grund für die Ablehnung an; er muss der Person mitgeteilt werden."]
    }
    request.refresh_from_db()
    assert request.status == "open"


def test_request_close_completes_with_outcome_and_timeline(client, data_protection, case):
    request = DataSubjectRequestFactory(participant=case, recorded_by=data_protection, kind=RequestKind.RECTIFICATION)
    response = _login(client, data_protection).post(
        reverse("privacy:request_close", kwargs={"pk": request.pk}),
        {"status": "completed", "outcome": "Geburtsdatum berichtigt (Beratung, 12.03.2026)"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.outcome, request.handled_by, request.completed_on) == (
        "completed",
        "Geburtsdatum berichtigt (Beratung, 12.03.2026)",
        data_protection,
        timezone.localdate(),
    )
    event = CaseEvent.objects.get()
    assert (event.kind, event.data) == (
        "data_subject_request_closed",
        {"request_kind": "rectification", "status": "completed"},
    )


def test_request_detail_of_a_rectification_links_the_edit_form(client, data_protection, case):
    request = DataSubjectRequestFactory(participant=case, recorded_by=data_protection, kind=RequestKind.RECTIFICATION)
    html = _login(client, data_protection).get(reverse("privacy:request_detail", kwargs={"pk": request.pk}))
    assert reverse("participants:update", kwargs={"pk": case.pk}) in html.content.decode()


def test_request_erase_erases_the_case_and_completes_the_request(client, data_protection, rich_case):
    close_case(rich_case, closed_on=timezone.localdate() - datetime.timedelta(days=30), stage=Stage.WITHDRAWN)
    request = DataSubjectRequestFactory(participant=rich_case, recorded_by=data_protection, kind=RequestKind.ERASURE)

    response = _login(client, data_protection).post(reverse("privacy:request_erase", kwargs={"pk": request.pk}))

    run = DeletionRun.objects.get()
    assert response["Location"] == reverse("privacy:run_detail", kwargs={"pk": run.pk})
    assert (run.trigger, run.status, run.erased_cases, run.requested_by, run.data_subject_request) == (
        "request",
        "finished",
        ["EF-2021-0007"],
        data_protection,
        request,
    )
    request.refresh_from_db()
    rich_case.refresh_from_db()
    assert rich_case.last_name == "Anonymisiert"
    assert request.status == "completed"
    assert request.outcome.startswith("Personenbezogene Daten gelöscht. Die Unterlagen zur MIRA-Hilfe bleiben")
    assert ErasedCase.objects.get().audit_cleared_at is None


def test_request_erase_of_an_open_case_is_refused(client, data_protection, case):
    request = DataSubjectRequestFactory(participant=case, recorded_by=data_protection, kind=RequestKind.ERASURE)
    response = _login(client, data_protection).post(reverse("privacy:request_erase", kwargs={"pk": request.pk}))
    assert response.status_code == 400
    assert "Der Fall ist noch offen." in response.content.decode()
    assert (ErasedCase.objects.count(), DeletionRun.objects.count()) == (0, 0)


def test_request_erase_on_legal_hold_is_refused(client, data_protection, case):
    close_case(case, closed_on=CLOSED_ON)
    LegalHoldFactory(participant=case)
    request = DataSubjectRequestFactory(participant=case, recorded_by=data_protection, kind=RequestKind.ERASURE)
    response = _login(client, data_protection).post(reverse("privacy:request_erase", kwargs={"pk": request.pk}))
    assert response.status_code == 400
    assert "Der Fall steht unter Löschsperre." in response.content.decode()
    case.refresh_from_db()
    assert case.last_name != "Anonymisiert"


def test_request_erase_of_an_access_request_is_not_found(client, data_protection, case):
    request = DataSubjectRequestFactory(participant=case, recorded_by=data_protection, kind=RequestKind.ACCESS)
    assert (
        _login(client, data_protection).post(reverse("privacy:request_erase", kwargs={"pk": request.pk})).status_code
        == 404
    )


def test_request_detail_shows_the_downloads_in_both_languages(client, data_protection, case):
    request = DataSubjectRequestFactory(participant=case, recorded_by=data_protection)
    html = _login(client, data_protection).get(reverse("privacy:request_detail", kwargs={"pk": request.pk}))
    html = html.content.decode()
    assert "PDF auf Deutsch" in html
    assert "PDF auf Russisch" in html
