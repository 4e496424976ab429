import pytest
from django.core.paginator import Paginator

from mira.accounts.models import Centre
from mira.core import pagination
from mira.core.pagination import CountedIdsPaginator, CountedPaginator, first_counted, first_with_total, peek_page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("rows", "queries"), [(0, 1), (3, 1), (4, 2), (9, 2)])
def test_first_with_total_counts_only_a_longer_list(rows, queries, django_assert_num_queries):
    Centre.objects.bulk_create([Centre(code=f"T{number}", name=f"Test {number}") for number in range(rows)])
    everything = Centre.objects.filter(code__startswith="T").order_by("code")
    with django_assert_num_queries(queries):
        shown, total = first_with_total(everything, 3)
    assert [centre.code for centre in shown] == [f"T{number}" for number in range(min(rows, 3))]
    assert total == rows


@pytest.fixture
def centres():
    Centre.objects.bulk_create([Centre(code=f"T{number:02}", name=f"Test {number}") for number in range(23)])
    return Centre.objects.filter(code__startswith="T").order_by("code")


@pytest.mark.parametrize("paginator_class", [CountedPaginator, CountedIdsPaginator])
@pytest.mark.parametrize("number", [1, 2, 3, "3", None, "x", 0, -1, 4, 99])
@pytest.mark.parametrize("found", [0, 5, 23])
def test_counted_paginator_gives_the_page_and_count_of_django(centres, paginator_class, number, found):
    rows = centres.filter(code__lt=f"T{found:02}").order_by("-name", "pk")  # not the primary key's order
    counted = paginator_class(rows, 10).get_page(number)
    plain = Paginator(rows, 10).get_page(number)
    assert (counted.number, counted.paginator.count, counted.paginator.num_pages) == (
        plain.number,
        plain.paginator.count,
        plain.paginator.num_pages,
    )
    assert [centre.code for centre in counted] == [centre.code for centre in plain]


def test_counted_paginator_refuses_orphans(centres):
    # The page is read before the count is known, so it cannot take in the rows of a short last page.
    with pytest.raises(ValueError, match="orphans"):
        CountedPaginator(centres, 10, orphans=4)


def test_counted_paginator_reads_a_page_in_one_query(centres, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = CountedPaginator(centres, 10).get_page(2)
        assert (len(page), page.paginator.count, page.has_next()) == (10, 23, True)


def test_counted_ids_paginator_counts_with_the_ids_and_reads_the_rows_with_related_rows(
    centres, django_assert_num_queries
):
    from mira.participants.models import Participant
    from mira.participants.tests.factories import ParticipantFactory

    centre = centres.first()
    for _ in range(5):
        ParticipantFactory(centre=centre)
    cases = Participant._base_manager.select_related("centre").order_by("-pk")
    with django_assert_num_queries(2) as queries:
        page = CountedIdsPaginator(cases, 2).get_page(2)
        names = [case.centre.name for case in page]
    # The ids of the page with the count (without the join to the centre), then its rows with their centre.
    assert "accounts_centre" not in queries.captured_queries[0]["sql"]
    assert "OVER" in queries.captured_queries[0]["sql"] and "OVER" not in queries.captured_queries[1]["sql"]
    assert [case.pk for case in page] == list(cases.values_list("pk", flat=True)[2:4])
    assert (names, page.paginator.count, page.has_next()) == ([centre.name, centre.name], 5, True)


@pytest.mark.parametrize("rows", [0, 3, 9])
def test_first_counted_reads_rows_and_count_in_one_query(rows, django_assert_num_queries):
    Centre.objects.bulk_create([Centre(code=f"T{number}", name=f"Test {number}") for number in range(rows)])
    everything = Centre.objects.filter(code__startswith="T").order_by("code")
    with django_assert_num_queries(1):
        shown, total = first_counted(everything, 3)
    assert [centre.code for centre in shown] == [f"T{number}" for number in range(min(rows, 3))]
    assert total == rows


@pytest.mark.parametrize("deep_offset", [0, 10, 1000])
@pytest.mark.parametrize("number", [1, 2, 3, "3", None, "x", 0, -1, 4, 99])
@pytest.mark.parametrize("orphans", [0, 4])
def test_list_paginator_gives_the_pages_of_django_by_ids_or_not(monkeypatch, centres, number, orphans, deep_offset):
    from mira.core import pagination

    # With 0 every page is read by its ids first, with 1000 none is.
    monkeypatch.setattr(pagination, "DEEP_OFFSET", deep_offset)
    rows = centres.order_by("-name", "pk")  # an order that is not the primary key's
    listed = pagination.ListPaginator(rows, 10, orphans=orphans).get_page(number)
    django = Paginator(rows, 10, orphans=orphans).get_page(number)
    assert [centre.code for centre in listed] == [centre.code for centre in django]
    assert (listed.number, listed.paginator.num_pages, listed.has_next()) == (
        django.number,
        django.paginator.num_pages,
        django.has_next(),
    )


def test_list_paginator_reads_a_deep_page_by_its_ids_with_related_rows(monkeypatch, centres, django_assert_num_queries):
    from mira.core import pagination
    from mira.participants.models import Participant
    from mira.participants.tests.factories import ParticipantFactory

    centre = centres.first()
    for _ in range(5):
        ParticipantFactory(centre=centre)
    monkeypatch.setattr(pagination, "DEEP_OFFSET", 2)
    cases = Participant._base_manager.select_related("centre").order_by("-pk")
    paginator = pagination.ListPaginator(cases, 2)
    paginator.count  # noqa: B018 (counted once, as the page's template does)
    # The ids of the page (without the join to the centre), then its rows with their centre.
    with django_assert_num_queries(2) as queries:
        page = paginator.page(2)
        names = [case.centre.name for case in page]
    assert "accounts_centre" not in queries.captured_queries[0]["sql"]
    assert [case.pk for case in page] == list(cases.values_list("pk", flat=True)[2:4])
    assert names == [centre.name, centre.name]


@pytest.mark.parametrize(
    ("reach", "number", "shown", "has_next", "beyond"),
    [
        (3, 1, ["T00", "T01", "T02", "T03", "T04"], True, False),
        (3, 3, ["T10", "T11", "T12", "T13", "T14"], False, True),  # more rows, but the last reachable page
        (5, 5, ["T20", "T21", "T22"], False, False),  # the end of the list within reach: nothing beyond
        (3, 4, [], False, True),
        (3, 10**6, [], False, True),
    ],
)
def test_peek_page_pages_as_far_as_its_reach(monkeypatch, centres, reach, number, shown, has_next, beyond):
    monkeypatch.setattr(pagination, "PEEK_REACH", reach)
    page = peek_page(centres, number, 5)
    assert [centre.code for centre in page] == shown
    assert (page.has_next, page.beyond_reach) == (has_next, beyond)


def test_peek_page_past_its_reach_reads_nothing(monkeypatch, centres, django_assert_num_queries):
    monkeypatch.setattr(pagination, "PEEK_REACH", 3)
    with django_assert_num_queries(0):
        page = peek_page(centres, "4", 5)
    assert page.number == 4 and not page.object_list and page.has_previous
