import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mira.accounts.models import Role
from mira.participants.models import Participant, Stage
from mira.participants.names import name_keys
from mira.participants.tests.factories import HouseholdMemberFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("participants:list")


def case(centre, counsellor, number, first_name="Giorgi", last_name="Beridze", **fields):
    fields.setdefault("name_keys", name_keys(first_name, last_name, fields.get("first_name_original", ""),
                                             fields.get("last_name_original", "")))  # fmt: skip
    return ParticipantFactory(centre=centre, case_number=f"EF-2026-{number:04d}", first_name=first_name,
                              last_name=last_name, assigned_counsellor=counsellor, **fields)  # fmt: skip


def numbers(response):
    return [p.case_number for p in response.context["page"].object_list]


def test_list_shows_only_the_own_centres_cases(client, counsellor, centre, counsellor_other_centre, other_centre):
    case(centre, counsellor, 1)
    ParticipantFactory(centre=other_centre, case_number="GE-2026-0001", assigned_counsellor=counsellor_other_centre)
    client.force_login(counsellor)
    assert numbers(client.get(URL)) == ["EF-2026-0001"]
    client.force_login(counsellor_other_centre)
    assert numbers(client.get(URL)) == ["GE-2026-0001"]


def test_list_finds_a_case_by_its_number(client, counsellor, centre):
    case(centre, counsellor, 1)
    case(centre, counsellor, 12)
    client.force_login(counsellor)
    assert numbers(client.get(URL, {"q": "0012"})) == ["EF-2026-0012"]


@pytest.mark.parametrize("query", ["Muhammad", "mohamed hasan", "محمد", "Мухаммед", "الحسن"])
def test_list_finds_a_name_in_another_spelling_or_script(client, counsellor, centre, query):
    case(centre, counsellor, 1, "Mohammed", "Al-Hassan", first_name_original="محمد", last_name_original="الحسن")
    case(centre, counsellor, 2, "Giorgi", "Beridze")
    client.force_login(counsellor)
    assert numbers(client.get(URL, {"q": query})) == ["EF-2026-0001"]


@pytest.mark.parametrize("query", ["SY", "Syrien", "syria"])
def test_list_finds_cases_by_nationality(client, counsellor, centre, query):
    case(centre, counsellor, 1, "Rania", "Haddad", nationalities="SY TR")
    case(centre, counsellor, 2)
    client.force_login(counsellor)
    assert numbers(client.get(URL, {"q": query})) == ["EF-2026-0001"]


def test_list_filters_by_stage_counsellor_and_return_country(client, counsellor, coordinator, centre):
    case(centre, counsellor, 1, stage=Stage.COUNSELLING, return_country="GE")
    case(centre, coordinator, 2, stage=Stage.COUNSELLING, return_country="IQ")
    case(centre, counsellor, 3, stage=Stage.FIRST_CONTACT, return_country="GE")
    client.force_login(counsellor)
    assert numbers(client.get(URL, {"stage": "counselling", "sort": "case_number"})) == ["EF-2026-0001", "EF-2026-0002"]
    assert numbers(client.get(URL, {"counsellor": coordinator.pk})) == ["EF-2026-0002"]
    assert numbers(client.get(URL, {"return_country": "GE", "sort": "case_number"})) == ["EF-2026-0001", "EF-2026-0003"]


def test_list_only_my_cases(client, counsellor, coordinator, centre):
    case(centre, counsellor, 1)
    case(centre, coordinator, 2)
    client.force_login(coordinator)
    assert numbers(client.get(URL, {"mine": "on"})) == ["EF-2026-0002"]


def test_list_shows_open_cases_unless_asked_for_closed_ones(client, counsellor, centre):
    case(centre, counsellor, 1, stage=Stage.COUNSELLING)
    case(centre, counsellor, 2, stage=Stage.CLOSED)
    case(centre, counsellor, 3, stage=Stage.WITHDRAWN)
    client.force_login(counsellor)
    assert numbers(client.get(URL)) == ["EF-2026-0001"]
    assert numbers(client.get(URL, {"status": "closed", "sort": "case_number"})) == ["EF-2026-0002", "EF-2026-0003"]
    assert len(numbers(client.get(URL, {"status": "all"}))) == 3


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["EF-2026-0002", "EF-2026-0003", "EF-2026-0001"]),
        ("-name", ["EF-2026-0001", "EF-2026-0003", "EF-2026-0002"]),
        ("stage", ["EF-2026-0003", "EF-2026-0001", "EF-2026-0002"]),
        ("-opened", ["EF-2026-0002", "EF-2026-0001", "EF-2026-0003"]),
        ("last_contact", ["EF-2026-0001", "EF-2026-0003", "EF-2026-0002"]),
        ("counsellor", ["EF-2026-0001", "EF-2026-0003", "EF-2026-0002"]),
    ],
)
def test_list_sorts_by_the_chosen_column(client, counsellor, coordinator, centre, sort, expected):
    # counsellor Anna Keller, coordinator Jonas Richter
    today = datetime.date(2026, 6, 1)
    case(centre, counsellor, 1, last_name="Zaher", stage=Stage.COUNSELLING, opened_on=today,
         last_contact_on=datetime.date(2026, 6, 2))  # fmt: skip
    case(centre, coordinator, 2, last_name="Abadi", stage=Stage.GOALS_AGREED, opened_on=datetime.date(2026, 7, 1))
    case(centre, counsellor, 3, last_name="Mansour", stage=Stage.FIRST_CONTACT, opened_on=datetime.date(2026, 1, 1),
         last_contact_on=datetime.date(2026, 6, 3))  # fmt: skip
    client.force_login(counsellor)
    assert numbers(client.get(URL, {"sort": sort})) == expected


def test_list_marks_the_sorted_column_and_offers_the_reverse_order(client, counsellor, centre):
    client.force_login(counsellor)
    columns = {c["key"]: c for c in client.get(URL, {"sort": "name", "q": "x"}).context["columns"]}
    assert (columns["name"]["active"], columns["name"]["descending"]) == (True, False)
    assert columns["name"]["url"] == f"{URL}?q=x&sort=-name"
    assert columns["stage"]["url"] == f"{URL}?q=x&sort=stage"


def test_list_paginates_by_25(client, counsellor, centre):
    for number in range(1, 28):
        case(centre, counsellor, number)
    client.force_login(counsellor)
    first = client.get(URL, {"sort": "case_number"})
    second = client.get(URL, {"sort": "case_number", "page": "2"})
    assert len(numbers(first)) == 25
    assert numbers(second) == ["EF-2026-0026", "EF-2026-0027"]
    assert [link.get("number") for link in first.context["pagination"]["links"]] == [1, 2]
    assert first.context["pagination"]["next"] == f"{URL}?sort=case_number&page=2"


def test_list_ignores_filter_values_that_do_not_exist(client, counsellor, centre):
    case(centre, counsellor, 1)
    client.force_login(counsellor)
    response = client.get(URL, {"stage": "nonsense", "counsellor": "999999", "page": "x", "sort": "drop table"})
    assert response.status_code == 200
    assert numbers(response) == ["EF-2026-0001"]


def test_list_answers_htmx_with_the_results_only(client, counsellor, centre):
    case(centre, counsellor, 1)
    client.force_login(counsellor)
    response = client.get(URL, {"q": "Beridze"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert [t.name for t in response.templates][0] == "participants/_list_results.html"
    assert "<html" not in html
    assert 'id="id_sort" hx-swap-oob="true"' in html
    assert response["Vary"].count("HX-Request") == 1


def test_list_answers_a_history_restore_with_the_whole_page(client, counsellor, centre):
    client.force_login(counsellor)
    response = client.get(URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert response.templates[0].name == "participants/list.html"


def test_list_shows_the_new_intake_button_to_case_workers(client, counsellor):
    client.force_login(counsellor)
    assert reverse("participants:create") in client.get(URL).content.decode()


def test_list_is_refused_to_a_psychologist(client, psychologist):
    client.force_login(psychologist)
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("rows", [1, 60])
def test_list_needs_the_same_number_of_queries_for_1_and_60_rows(
    client, counsellor, centre, django_assert_max_num_queries, rows
):
    counsellors = [counsellor, UserFactory(username="beratung3", role=Role.COUNSELLOR, centre=centre)]
    for number in range(1, rows + 1):
        participant = case(centre, counsellors[number % 2], number, return_country=["GE", "IQ", "SY"][number % 3])
        HouseholdMemberFactory(participant=participant)
    client.force_login(counsellor)
    client.get(URL)  # warms the session
    # session, user, centre, return countries, count, page, permissions (2), session save (3)
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"status": "all", "sort": "stage"})
        html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="mira-case-number"') == min(rows, 25)


def test_list_counts_the_household_in_the_same_query(client, counsellor, centre):
    participant = case(centre, counsellor, 1)
    HouseholdMemberFactory.create_batch(3, participant=participant)
    client.force_login(counsellor)
    assert [p.household_size for p in client.get(URL).context["page"].object_list] == [3]


def test_list_is_refused_to_finance(client, finance):
    client.force_login(finance)
    assert client.get(URL).status_code == 403
    assert Participant.objects.count() == 0


def test_search_runs_once_for_its_page_and_its_count(client, counsellor, centre):
    for number in range(1, 31):
        case(centre, counsellor, number, first_name="Nino" if number % 2 else "Giorgi")
    client.force_login(counsellor)
    client.get(URL)  # warms the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"q": "Beridze", "page": 2})
    searches = [query["sql"] for query in queries.captured_queries if "name_keys" in query["sql"]]
    assert len(searches) == 1
    page = response.context["page"]
    assert (page.number, page.paginator.count, len(page.object_list)) == (2, 30, 5)
