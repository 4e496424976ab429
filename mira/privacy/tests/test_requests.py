import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone, translation
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
    field_label,
    has_own_label,
)
from mira.privacy.models import AccessLog, DataSubjectRequest, DeletionRun, ErasedCase, RequestKind, RequestStatus
from mira.privacy.services import add_one_month, data_subject_request_record
from mira.privacy.tests.factories import (
    SECRET_NAME,
    DataSubjectRequestFactory,
    LegalHoldFactory,
    close_case,
    full_case,
)
from mira.roadmap.models import RoadmapShare
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
    url = reverse("privacy:request_export", kwargs={"pk": request.pk, "fmt": "json"})
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
    url = reverse("privacy:request_export", kwargs={"pk": request.pk, "fmt": "json"})
    response = _login(client, data_protection).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="MIRA-EF-2021-0007-Auskunft.json"'
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


def test_request_export_pdf_in_the_participants_language(client, data_protection, case):
    request = DataSubjectRequestFactory(participant=case, recorded_by=data_protection)
    url = reverse("privacy:request_export", kwargs={"pk": request.pk, "fmt": "pdf"})
    response = _login(client, data_protection).get(url + "?lang=ru")
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Ваши данные, хранящиеся в MIRA" in text
    assert "EF-2024-0010" in text
    assert AccessLog.objects.filter(what="export").count() == 1


def test_request_export_pdf_in_german_lists_the_household(client, data_protection, rich_case):
    request = DataSubjectRequestFactory(participant=rich_case, recorded_by=data_protection)
    url = reverse("privacy:request_export", kwargs={"pk": request.pk, "fmt": "pdf"})
    text = _pdf_text(_login(client, data_protection).get(url + "?lang=de").content)
    assert "Ihre in MIRA gespeicherten Daten" in text
    assert "Haushaltsmitglieder" in text
    assert "Nino" in text
    assert "schläft schlecht" not in text
    assert "Schweigepflicht (§ 203 StGB)" in text


def test_request_export_pdf_counts_the_read_accesses_by_day_and_the_json_lists_each(
    client, data_protection, case, counsellor
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
    url = reverse("privacy:request_export", kwargs={"pk": request.pk, "fmt": "pdf"})
    text = _pdf_text(_login(client, data_protection).get(url + "?lang=de").content)
    assert "Lesezugriffe insgesamt: 60. Nach Tagen:" in text
    assert "09.03.2026 · Fallakte aufgerufen · 17" in text
    assert "02.03.2026 · Fallakte aufgerufen · 40" in text
    assert "02.03.2026 · Dokument heruntergeladen · 3" in text
    # The JSON lists each access with its time, the download of the PDF just now included.
    accesses = json.loads(export_json(participant=case))["data"]["privacy.AccessLog"]
    assert [access["what"] for access in accesses].count("case") == 57 and len(accesses) == 61


def test_request_export_in_an_unknown_format_or_language_is_not_found(client, data_protection, case):
    request = DataSubjectRequestFactory(participant=case, recorded_by=data_protection)
    _login(client, data_protection)
    assert client.get(reverse("privacy:request_export", kwargs={"pk": request.pk, "fmt": "xml"})).status_code == 404
    url = reverse("privacy:request_export", kwargs={"pk": request.pk, "fmt": "pdf"})
    assert client.get(url + "?lang=xx").status_code == 404
    assert AccessLog.objects.count() == 0


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
