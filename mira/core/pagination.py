"""Pages of long logs without counting them.

Django's Paginator counts the whole result for "page 3 of 1,200". On a log of millions of rows
(the change history, the read-access log) the count costs more than the page. A PeekPage reads one
row more than it shows to know whether a next page exists, and shows "entries 51–100" instead.
"""

from dataclasses import dataclass


@dataclass
class PeekPage:
    object_list: list
    number: int
    per_page: int
    has_next: bool

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


def peek_page(rows, number, per_page: int) -> PeekPage:
    """Page `number` (as page_number reads it) of a queryset or list."""
    number = page_number(number)
    offset = (number - 1) * per_page
    rows = list(rows[offset : offset + per_page + 1])
    return PeekPage(object_list=rows[:per_page], number=number, per_page=per_page, has_next=len(rows) > per_page)


def first_with_total(rows, limit: int) -> tuple[list, int]:
    """The first `limit` rows of a queryset and how many there are in all. The count is asked for
    only when there are more rows than shown: a short list costs one query."""
    shown = list(rows[: limit + 1])
    if len(shown) <= limit:
        return shown, len(shown)
    return shown[:limit], rows.count()
