import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from mira.core import pagination
from mira.documents.services import document_delete
from mira.documents.tests.factories import make_document
from mira.participants.models import Participant
from mira.participants.tests.factories import HouseholdMemberFactory, ParticipantFactory
from mira.privacy import audit
from mira.privacy.audit import SHOWN_FIELDS, SOURCES
from mira.privacy.models import AccessLog, Consent
from mira.privacy.services import consent_withdraw
from mira.privacy.tests.factories import ConsentFactory
from mira.privacy.views import PAGE_SIZE

AUDIT = reverse("privacy:audit")
ACCESS_LOG = reverse("privacy:access_log")


@pytest.fixture
def participant(centre, counsellor):
    return ParticipantFactory(centre=centre, assigned_counsellor=counsellor, case_number="EF-2026-0007", city="Erfurt")


@pytest.fixture
def other_participant(other_centre, counsellor_other_centre):
    return ParticipantFactory(
        centre=other_centre, assigned_counsellor=counsellor_other_centre, case_number="GE-2026-0003"
    )


def _change_city(participant, user, city):
    participant.city = city
    participant._history_user = user
    participant.save()


def _entries(client, viewer, language="en", **query):
    # English labels: the field names come from the other apps' catalogues.
    client.force_login(viewer)
    response = client.get(AUDIT, query, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.context["entries"]


def _summary(entries):
    return [(e.source.key, e.kind, e.case_number) for e in entries]


def test_audit_change_shows_old_and_new_value(client, data_protection, participant, counsellor):
    _change_city(participant, counsellor, "Weimar")
    entry = _entries(client, data_protection, source="participant")[0]
    assert (entry.kind, entry.user, entry.case_number, entry.description) == (
        "~",
        counsellor,
        "EF-2026-0007",
        participant.full_name,
    )
    assert [(c.label, c.old, c.new) for c in entry.changes] == [("City", "Erfurt", "Weimar")]


def test_audit_names_every_field_it_shows_in_german():
    # A field without a verbose name, or without its German, would show as its attribute name.
    with translation.override("de"):
        for source in SOURCES:
            for model_field in source.tracked_model._meta.concrete_fields:
                if model_field.name not in source.hidden_fields:
                    assert str(model_field.verbose_name) != model_field.name.replace("_", " "), model_field


def test_audit_change_of_a_choice_shows_labels(client, data_protection, participant, counsellor):
    participant.residence_status = "duldung"
    participant._history_user = counsellor
    participant.save()
    entry = _entries(client, data_protection, source="participant")[0]
    assert [(c.label, c.old, c.new) for c in entry.changes] == [("Residence status", "Unknown", "Toleration (Duldung)")]


def test_audit_created_entry_lists_the_first_values(client, data_protection, participant):
    HouseholdMemberFactory(
        participant=participant, first_name="Nino", last_name="Beridze", date_of_birth=datetime.date(2016, 9, 1)
    )
    entry = _entries(client, data_protection, source="household_member")[0]
    assert (entry.kind, entry.kind_label, entry.description) == ("+", "created", "Nino Beridze")
    assert [(c.label, c.old, c.new) for c in entry.changes] == [
        ("First name", "", "Nino"),
        ("Last name", "", "Beridze"),
        ("Date of birth", "", "09/01/2016"),
        ("Gender", "", "not stated"),
        ("Relationship", "", "Child"),
        ("Returns along", "", "yes"),
    ]


def test_audit_consent_withdrawal_shows_the_date(client, data_protection, participant, counsellor):
    consent = ConsentFactory(participant=participant, purpose="photos", given_on=datetime.date(2026, 3, 2))
    consent_withdraw(consent=consent, withdrawn_on=datetime.date(2026, 3, 5), notes="Mündlich", actor=counsellor)
    entry = _entries(client, data_protection, language="de", source="consent")[0]
    assert (entry.kind, entry.kind_label, entry.user, entry.description) == (
        "~",
        "geändert",
        counsellor,
        "Verwendung von Fotos",
    )
    assert [(c.label, c.old, c.new) for c in entry.changes] == [
        ("Widerrufen am", "", "05.03.2026"),
        ("Bemerkungen zum Widerruf", "", "Mündlich"),
    ]


def test_audit_deleted_document_is_listed(client, data_protection, participant, counsellor):
    document = make_document(participant=participant, title="Alter Pass", actor=counsellor)
    document_delete(document=document, actor=counsellor)
    entries = _entries(client, data_protection, language="de", source="document")
    assert [(e.kind, e.description, e.user) for e in entries] == [
        ("-", "Alter Pass", counsellor),
        ("+", "Alter Pass", counsellor),
    ]
    # The upload lists every field: they are loaded when the entry is opened.
    assert entries[1].folded
    url = reverse("privacy:audit_entry", kwargs={"source": "document", "history_id": entries[1].history_id})
    created = client.get(url, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="de").context["entry"]
    assert ("Hochgeladen von", "", counsellor.get_full_name()) in [(c.label, c.old, c.new) for c in created.changes]


def test_audit_filters_by_case_number(client, data_protection, participant, centre):
    ParticipantFactory(centre=centre, case_number="EF-2026-0100")
    assert _summary(_entries(client, data_protection, case_number="0007")) == [("participant", "+", "EF-2026-0007")]


def test_audit_case_number_finds_every_kind_of_data_of_the_case_and_only_of_the_centre(
    client, data_protection, participant, counsellor, centre, other_centre
):
    _change_city(participant, counsellor, "Weimar")
    HouseholdMemberFactory(participant=participant)
    ConsentFactory(participant=participant, purpose="photos", given_on=datetime.date(2026, 1, 5))
    make_document(participant=participant, actor=counsellor)
    other_case = ParticipantFactory(centre=centre, case_number="EF-2026-0100")
    ConsentFactory(participant=other_case, purpose="photos", given_on=datetime.date(2026, 1, 5))
    ParticipantFactory(centre=other_centre, case_number="XY-2026-0007")
    entries = _entries(client, data_protection, case_number="ef-2026-0007")
    assert sorted(_summary(entries)) == [
        ("consent", "+", "EF-2026-0007"),
        ("document", "+", "EF-2026-0007"),
        ("household_member", "+", "EF-2026-0007"),
        ("participant", "+", "EF-2026-0007"),
        ("participant", "~", "EF-2026-0007"),
    ]
    # A part of the number: the cases of the own centre only.
    assert {entry.case_number for entry in _entries(client, data_protection, case_number="0007")} == {"EF-2026-0007"}
    assert _entries(client, data_protection, case_number="0099") == []


@pytest.mark.parametrize("matching", [2, 4])
def test_audit_search_finding_many_cases_reads_them_by_case_or_walks_the_history(
    monkeypatch, client, data_protection, centre, other_centre, counsellor, matching
):
    """Beyond FEW_CASES found, a search reads by case while it finds at most half of the centre's
    cases, and walks the centre's history newest first when it finds more: either way the same
    entries, newest first, with their case numbers."""
    monkeypatch.setattr(audit, "FEW_CASES", 1)
    cases = [ParticipantFactory(centre=centre, case_number=f"EF-2024-{n:04d}") for n in range(matching)]
    cases += [ParticipantFactory(centre=centre, case_number=f"EF-2025-{n:04d}") for n in range(6 - matching)]
    for number, case in enumerate(cases):
        _change_city(case, counsellor, f"Ort {number}")
        ConsentFactory(participant=case, purpose="photos", given_on=datetime.date(2026, 1, 1))
    # The same number in another centre is not found.
    ParticipantFactory(centre=other_centre, case_number="XY-2024-0000")
    with CaptureQueriesContext(connection) as queries:
        entries = _entries(client, data_protection, case_number="2024")
    # Read by case, each table is ordered by `history_date + 0`, which no index on the date gives.
    by_case = any('"history_date" +' in query["sql"] for query in queries.captured_queries)
    assert by_case == (matching <= 3)
    expected = []
    for case in cases[:matching]:
        expected += [("participant", "+", case.case_number), ("participant", "~", case.case_number)]
        expected += [("consent", "+", case.case_number)]
    assert sorted(_summary(entries)) == sorted(expected)
    assert [entry.at for entry in entries] == sorted((entry.at for entry in entries), reverse=True)
    # A page further on, read by case as well.
    assert len(_entries(client, data_protection, case_number="2024", page=2)) == 0


def test_audit_filters_by_user(client, data_protection, participant, counsellor, coordinator):
    _change_city(participant, counsellor, "Weimar")
    _change_city(participant, coordinator, "Gotha")
    entries = _entries(client, data_protection, user=coordinator.pk)
    assert [(e.user, [c.new for c in e.changes]) for e in entries] == [(coordinator, ["Gotha"])]


def test_audit_filters_by_date_range(client, data_protection, participant, counsellor):
    _change_city(participant, counsellor, "Weimar")
    history = Participant.history.model.objects
    old, new = history.order_by("history_id")
    history.filter(history_id=old.history_id).update(
        history_date=timezone.make_aware(datetime.datetime(2026, 1, 5, 10))
    )
    history.filter(history_id=new.history_id).update(
        history_date=timezone.make_aware(datetime.datetime(2026, 2, 5, 10))
    )
    assert _summary(_entries(client, data_protection, date_from="2026-01-01", date_to="2026-01-31")) == [
        ("participant", "+", "EF-2026-0007")
    ]
    assert _summary(_entries(client, data_protection, date_from="2026-02-05")) == [("participant", "~", "EF-2026-0007")]


def test_audit_filters_by_kind_of_data(client, data_protection, participant):
    ConsentFactory(participant=participant)
    assert _summary(_entries(client, data_protection, source="consent")) == [("consent", "+", "EF-2026-0007")]
    assert [e.source.key for e in _entries(client, data_protection)] == ["consent", "participant"]


def test_audit_shows_only_the_own_centre(client, data_protection, participant, other_participant):
    ConsentFactory(participant=other_participant)
    assert _summary(_entries(client, data_protection)) == [("participant", "+", "EF-2026-0007")]


def test_audit_end_before_start_shows_the_error(client, data_protection, participant):
    client.force_login(data_protection)
    response = client.get(AUDIT, {"date_from": "2026-03-10", "date_to": "2026-03-01"})
    assert response.context["form"].errors == {"date_to": ["Das Enddatum liegt vor dem Anfangsdatum."]}
    assert response.context["entries"] is None
    assert 'value="2026-03-10"' in response.content.decode()


def test_audit_is_paginated(client, data_protection, participant, counsellor):
    for number in range(PAGE_SIZE + 5):
        _change_city(participant, counsellor, f"Ort {number}")
    assert len(_entries(client, data_protection)) == PAGE_SIZE
    entries = _entries(client, data_protection, page=2)
    assert [e.kind for e in entries] == ["~", "~", "~", "~", "~", "+"]
    assert [c.new for c in entries[0].changes] == ["Ort 4"]


def test_audit_pages_merge_the_history_tables_newest_first(client, data_protection, participant, counsellor):
    expected = []
    for number in range(30):
        _change_city(participant, counsellor, f"Ort {number}")
        expected.append(("participant", "~"))
        ConsentFactory(
            participant=participant, purpose="photos", given_on=datetime.date(2026, 1, 1) + datetime.timedelta(number)
        )
        expected.append(("consent", "+"))
    expected = [*reversed(expected), ("participant", "+")]
    pages = [_entries(client, data_protection, page=number) for number in (1, 2, 3)]
    assert [(e.source.key, e.kind) for e in pages[0] + pages[1] + pages[2]] == expected
    assert [len(page) for page in pages] == [25, 25, 11]
    assert _entries(client, data_protection, page=4) == []


def test_audit_folds_a_long_entry_and_loads_its_fields_on_request(client, data_protection, participant):
    entry = _entries(client, data_protection, source="participant")[0]
    assert (entry.kind, entry.folded, entry.changes) == ("+", True, [])
    assert entry.field_count > SHOWN_FIELDS
    url = reverse("privacy:audit_entry", kwargs={"source": "participant", "history_id": entry.history_id})
    assert f'hx-get="{url}"' in client.get(AUDIT).content.decode()

    part = client.get(url, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")
    html = part.content.decode()
    assert "<html" not in html and part["Vary"].count("HX-Request") == 1
    assert part.context["entry"].field_count == len(part.context["entry"].changes) == entry.field_count
    assert '<th scope="row" class="fw-normal">City</th>' in html and "Erfurt" in html

    # Without JavaScript the link opens the entry on a page of its own.
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="de")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Änderungsverlauf des Falls EF-2026-0007" in html and "Erfurt" in html


def test_audit_entry_of_another_centre_or_of_no_kind_is_not_found(
    client, data_protection, participant, other_participant
):
    client.force_login(data_protection)
    other = other_participant.history.earliest().history_id
    own = participant.history.earliest().history_id
    assert client.get(reverse("privacy:audit_entry", args=["participant", other])).status_code == 404
    assert client.get(reverse("privacy:audit_entry", args=["consent", own])).status_code == 404
    assert client.get(reverse("privacy:audit_entry", args=["nothing", own])).status_code == 404
    assert client.get(reverse("privacy:audit_entry", args=["participant", own])).status_code == 200


def test_audit_shows_a_short_entry_at_once(client, data_protection, participant, counsellor):
    _change_city(participant, counsellor, "Weimar")
    entry = _entries(client, data_protection, source="participant")[0]
    assert (entry.folded, entry.field_count) == (False, 1)


def test_audit_user_filter_takes_only_offered_users(client, data_protection, participant, counsellor_other_centre):
    client.force_login(data_protection)
    response = client.get(AUDIT, {"user": counsellor_other_centre.pk})
    assert response.context["page"] is None
    assert "user" in response.context["form"].errors


@pytest.mark.parametrize("changes", [0, 30])
def test_audit_queries_do_not_grow(
    client, data_protection, participant, counsellor, changes, django_assert_max_num_queries
):
    for number in range(changes):
        _change_city(participant, counsellor, f"Ort {number}")
        ConsentFactory(
            participant=participant,
            purpose="photos",
            given_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=number),
        )
    make_document(participant=participant, actor=counsellor)
    HouseholdMemberFactory(participant=participant)
    client.force_login(data_protection)
    # Session and user, the form's users, the page (one UNION ALL of the four history tables), one
    # query per table for the entries with the versions they are compared with, and the names.
    with django_assert_max_num_queries(9):
        response = client.get(AUDIT)
    assert len(response.context["entries"]) == min(3 + 2 * changes, PAGE_SIZE)
    # Searched by case number: the transaction planned for the search (BEGIN, its setting, COMMIT),
    # the cases with their numbers, and the page; then as above. The case numbers of the entries
    # come from the search, not from a join.
    with django_assert_max_num_queries(13):
        response = client.get(AUDIT, {"case_number": participant.case_number})
    assert {entry.case_number for entry in response.context["entries"]} == {participant.case_number}


def _log(participant, user, what="case", at=None, object_id=""):
    return AccessLog.objects.create(
        user=user,
        centre_id=participant.centre_id,
        participant=participant,
        case_number=participant.case_number,
        what=what,
        object_id=object_id,
        path=f"/cases/{participant.pk}/",
        at=at or timezone.now(),
    )


def _access(client, viewer, **query):
    client.force_login(viewer)
    response = client.get(ACCESS_LOG, query)
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def test_access_log_lists_reads_of_the_own_centre(client, data_protection, participant, other_participant, counsellor):
    own = _log(participant, counsellor)
    _log(other_participant, other_participant.assigned_counsellor)
    assert _access(client, data_protection) == [own]


def test_access_log_filters(client, data_protection, participant, centre, counsellor, coordinator):
    other_case = ParticipantFactory(centre=centre, case_number="EF-2026-0100")
    january = timezone.make_aware(datetime.datetime(2026, 1, 15, 9))
    download = _log(participant, counsellor, what="document", object_id="12", at=january)
    read_by_coordinator = _log(participant, coordinator)
    other_read = _log(other_case, counsellor)
    assert _access(client, data_protection, case_number="0100") == [other_read]
    assert _access(client, data_protection, user=coordinator.pk) == [read_by_coordinator]
    assert _access(client, data_protection, what="document") == [download]
    assert _access(client, data_protection, date_to="2026-01-31") == [download]
    assert _access(client, data_protection, date_from="2026-01-16") == [other_read, read_by_coordinator]


def test_access_log_page_shows_the_entry(client, data_protection, participant, counsellor):
    _log(participant, counsellor, what="document", object_id="12")
    client.force_login(data_protection)
    html = client.get(ACCESS_LOG).content.decode()
    assert "EF-2026-0007" in html
    assert "Dokument heruntergeladen" in html
    assert counsellor.get_full_name() in html


def test_access_log_is_paginated(client, data_protection, participant, counsellor):
    for _ in range(PAGE_SIZE + 2):
        _log(participant, counsellor)
    assert len(_access(client, data_protection)) == PAGE_SIZE
    assert len(_access(client, data_protection, page=2)) == 2


@pytest.mark.parametrize("count", [1, 40])
def test_access_log_queries_do_not_grow(
    client, data_protection, participant, counsellor, count, django_assert_max_num_queries
):
    for _ in range(count):
        _log(participant, counsellor)
    client.force_login(data_protection)
    with django_assert_max_num_queries(11):
        response = client.get(ACCESS_LOG)
    assert len(response.context["page"].object_list) == min(count, PAGE_SIZE)


def test_pages_are_read_without_counting_the_log(client, data_protection, participant, counsellor):
    for _ in range(26):
        _log(participant, counsellor)
    client.force_login(data_protection)
    html = client.get(ACCESS_LOG).content.decode()
    assert "Einträge 1–25, neueste zuerst" in html
    assert "Ältere Einträge" in html and "Neuere Einträge" not in html
    html = client.get(ACCESS_LOG, {"page": 2}).content.decode()
    assert "Einträge 26–26, neueste zuerst" in html
    assert "Neuere Einträge" in html and "Ältere Einträge" not in html
    # A page number that is no number shows the first page.
    assert len(client.get(ACCESS_LOG, {"page": "x"}).context["page"].object_list) == PAGE_SIZE


@pytest.mark.parametrize("url", [AUDIT, ACCESS_LOG])
def test_logs_are_paged_as_far_as_their_reach_then_say_to_search_by_date(
    monkeypatch, client, data_protection, participant, counsellor, url
):
    monkeypatch.setattr(pagination, "PEEK_REACH", 2)
    for number in range(60):
        _change_city(participant, counsellor, f"Ort {number}")
        _log(participant, counsellor)
    client.force_login(data_protection)
    hint = "Weiter lässt sich die Liste nicht blättern"
    html = client.get(url).content.decode()
    assert 'rel="next"' in html and hint not in html
    # The last page within reach: no link further, the hint instead.
    html = client.get(url, {"page": 2}).content.decode()
    assert "Einträge 26–50, neueste zuerst" in html
    assert 'rel="next"' not in html and 'rel="prev"' in html and hint in html
    # Past the reach (a typed address): nothing is searched, the hint links back to the first page.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"page": 99999, "case_number": "EF"})
    html = response.content.decode()
    assert response.status_code == 200 and not response.context["page"].object_list
    assert hint in html and "Keine Einträge passen zum Filter" not in html
    assert '<a href="?case_number=EF">Zu den neuesten Einträgen</a>' in html
    assert not [query for query in queries if "history" in query["sql"] or "privacy_accesslog" in query["sql"]]


def test_user_filter_offers_the_centre_and_the_partner_coaches(
    client, data_protection, counsellor, counsellor_other_centre, partner
):
    client.force_login(data_protection)
    for url in (AUDIT, ACCESS_LOG):
        html = client.get(url).content.decode()
        assert f'<option value="{counsellor.pk}">' in html and f'<option value="{partner.pk}">' in html
        assert f'<option value="{counsellor_other_centre.pk}">' not in html


def test_audit_pages_are_refused_to_counsellors(client, counsellor):
    client.force_login(counsellor)
    assert (client.get(AUDIT).status_code, client.get(ACCESS_LOG).status_code) == (403, 403)


def test_consent_rows_survive_in_history(participant):
    # The audit shows consents from their history table; a deleted consent stays visible there.
    consent = ConsentFactory(participant=participant)
    consent.delete()
    assert Consent.history.filter(history_type="-").count() == 1


CASE_INDEXES = [
    ("participants_historicalparticipant", "id"),
    ("participants_historicalhouseholdmember", "participant_id"),
    ("privacy_historicalconsent", "participant_id"),
    ("documents_historicaldocument", "participant_id"),
]


def _case_index(table, column):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {
        name: info["columns"]
        for name, info in constraints.items()
        if info["index"] and not info["primary_key"] and info["columns"][0] == column
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("table", "column"), CASE_INDEXES)
def test_the_index_on_the_case_of_a_history_table_includes_what_the_change_history_shows(table, column):
    """The entries of the cases a search finds are read from the index alone (PostgreSQL's INCLUDE),
    under the name Django gave the index of the column, which migrations of the column still find;
    the migration's reverse makes it the plain index again."""

    from mira.core.migration_ops import HISTORY_ENTRY_COLUMNS, history_case_index_covering

    expected_name = connection.schema_editor()._create_index_name(table, [column], suffix="")
    assert _case_index(table, column) == {expected_name: [column, *HISTORY_ENTRY_COLUMNS]}
    operation = history_case_index_covering(table, column)
    with connection.schema_editor() as editor:
        operation.reverse_code(None, editor)
    assert _case_index(table, column) == {expected_name: [column]}
    with connection.schema_editor() as editor:
        operation.code(None, editor)
    assert _case_index(table, column) == {expected_name: [column, *HISTORY_ENTRY_COLUMNS]}
