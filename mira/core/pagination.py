"""Pages of lists, counted in the same query or not at all.

Django's Paginator counts the whole result for "page 3 of 120" in a query of its own. A
CountedPaginator reads the count with the page, for filters that cost more than their rows
(CountedIdsPaginator: with the ids of the page, then its rows). A ListPaginator reads a page far
down a long list by its ids first. On a log of millions of rows (the change history, the
read-access log) any count costs more than the page: a PeekPage reads one row more than it shows
to know whether a next page exists, and shows "entries 51–100" instead. It is paged through as far
as PEEK_REACH pages; older entries are found by a narrower search.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, QuerySet, Window

# A PeekPage list is paged through this far: 2,500 entries of the change history, about six busy
# weeks of a centre in the synthetic data (at most 412 entries a week). Each page reads every row
# before it: at 100,000 participants the change history's page 100 took 34 ms, its page 400 48 ms,
# and a page number typed far past the end read the centre's whole history (190 ms). Past this
# page a search by date finds the older entries.
PEEK_REACH = 100


@dataclass
class PeekPage:
    object_list: list
    number: int
    per_page: int
    has_next: bool
    # There are, or may be, rows past the last page that can be paged to (PEEK_REACH).
    beyond_reach: bool = False

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.object_list)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def page_number(value) -> int:
    """The page number from the query string: anything but a positive integer means 1."""
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return 1


def beyond_reach(number) -> bool:
    """Whether page `number` (as page_number reads it) lies past the pages a PeekPage reaches."""
    return page_number(number) > PEEK_REACH


def peek_page(rows, number, per_page: int) -> PeekPage:
    """Page `number` (as page_number reads it) of a queryset or list; past PEEK_REACH pages an
    empty page that says so, without reading anything."""
    number = page_number(number)
    if number > PEEK_REACH:
        return PeekPage(object_list=[], number=number, per_page=per_page, has_next=False, beyond_reach=True)
    offset = (number - 1) * per_page
    rows = list(rows[offset : offset + per_page + 1])
    more = len(rows) > per_page
    return PeekPage(
        object_list=rows[:per_page],
        number=number,
        per_page=per_page,
        has_next=more and number < PEEK_REACH,
        beyond_reach=more and number == PEEK_REACH,
    )


def first_with_total(rows, limit: int) -> tuple[list, int]:
    """The first `limit` rows of a queryset and how many there are in all. The count is asked for
    only when there are more rows than shown: a short list costs one query."""
    shown = list(rows[: limit + 1])
    if len(shown) <= limit:
        return shown, len(shown)
    return shown[:limit], rows.count()


def _with_total(rows):
    """The queryset with each row carrying the number of all its rows (COUNT(*) OVER ())."""
    return rows.annotate(rows_in_all=Window(Count("pk")))


def first_counted(rows, limit: int) -> tuple[list, int]:
    """The first `limit` rows of a queryset and how many there are in all, in one query (a window
    count). For short filtered lists that the database sorts in full anyway (one person's due
    tasks or goals); a long list read in index order is cheaper with first_with_total."""
    shown = list(_with_total(rows)[:limit])
    return shown, shown[0].rows_in_all if shown else 0


class CountedPaginator(Paginator):
    """A Paginator that reads a page and the number of all rows in one query (COUNT(*) OVER ()).

    For a filter that costs as much as its rows, such as a name search over trigram indexes: the
    search runs once instead of twice. Not for a long unfiltered list, whose count an index answers
    and whose page the database stops reading after its rows: the window makes it read them all."""

    def __init__(self, object_list, per_page, orphans=0, **options):
        if orphans:
            raise ValueError("A page read with its count cannot take in the next page's orphans.")
        super().__init__(object_list, per_page, **options)

    def get_page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1  # as Django: what is no number means the first page
        if number < 1:
            return super().get_page(number)  # as Django: the last page
        bottom = (number - 1) * self.per_page
        rows = self._rows_with_total(bottom, bottom + self.per_page)
        if not rows:
            # Past the last page, or nothing found: as Django (count, then the last page).
            return super().get_page(number)
        self.__dict__["count"] = rows[0].rows_in_all  # the cached_property Paginator.count
        return self._get_page(rows, number, self)

    def _rows_with_total(self, bottom: int, top: int) -> list:
        """The rows from `bottom` to `top`, the first carrying the number of all rows."""
        return list(_with_total(self.object_list)[bottom:top])


class CountedIdsPaginator(CountedPaginator):
    """A CountedPaginator for lists whose rows come with their related objects (select_related),
    filtered through a join (one counsellor's referrals, found through their cases).

    The query with the count reads only the ids of the page, with the joins its filter and order
    need; the page's rows follow by id with everything they show. Read in one query, PostgreSQL
    joined the organisation, offer and author of each of a counsellor's 850 referrals before
    counting and sorting them (14 ms; the ids and the count: 6 ms)."""

    def _rows_with_total(self, bottom: int, top: int) -> list:
        return self._rows_by_ids(_with_total(self._ids())[bottom:top])

    def page(self, number):
        """Django's page, read by ids too: past the last page, get_page counts, then reads the last."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self._rows_by_ids(self._ids()[bottom : bottom + self.per_page]), number, self)

    def _ids(self):
        return self.object_list.select_related(None).only("pk")

    def _rows_by_ids(self, ids) -> list:
        ids = list(ids)
        page = _in_order(self.object_list, [row.pk for row in ids])
        if page and hasattr(ids[0], "rows_in_all"):
            page[0].rows_in_all = ids[0].rows_in_all
        return page


# From this many rows down, a ListPaginator reads a page's ids before its rows.
DEEP_OFFSET = 500


class ListPaginator(Paginator):
    """Django's Paginator, for lists whose rows come with their related objects (select_related).

    A page far down such a list (the 560th page of a centre's done tasks, OFFSET 14,000) made the
    database join every skipped row to its case, counsellor and organisation before throwing it
    away: 70–90 ms. From DEEP_OFFSET rows on, the page first reads the ids of its rows, with only
    the joins its filter and order need, and then those rows with everything they show. The pages
    near the top, which are read most, stay one query."""

    def page(self, number):
        page = super().page(number)
        if isinstance(self.object_list, QuerySet) and (page.number - 1) * self.per_page >= DEEP_OFFSET:
            ids = list(page.object_list.select_related(None).values_list("pk", flat=True))
            page.object_list = _in_order(self.object_list, ids)
        return page


def _in_order(rows: QuerySet, ids: list) -> list:
    """The rows of these ids, with everything the queryset reads, in the order of the ids (a row
    deleted since the ids were read is left out)."""
    found = rows.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
