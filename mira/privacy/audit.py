"""The change history of case data for the data protection officer.

The history tables of django-simple-history (one per model, each row with the centre of its case)
are searched together: each table's newest matching entries are read by its own index, as the parts
of one UNION ALL on PostgreSQL (a query per table on SQLite), and merged into the page. A search
by case number first reads the matching cases with their numbers (one query), then their entries by
the index on the case, or, when it finds most of the centre's cases, as without a search. Then one
query per model loads the page's records together with the versions their changes are compared
with, and one query per referenced model turns ids into names. The number of queries per page is
therefore constant, however many entries it shows.

An entry that changed more than SHOWN_FIELDS fields (a new case file lists every field it was
created with) shows only how many; its fields are loaded when the reader opens it
(history_entry), so a page shows 25 entries without building hundreds of rows nobody reads.
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection, models
from django.db.models import CharField, DateTimeField, DurationField, ExpressionWrapper, F, OuterRef, Subquery, Value
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mira.core.dates import within_days
from mira.core.db import OneOf, planned_for_each_search
from mira.core.models import choice_label
from mira.core.pagination import PeekPage, beyond_reach, page_number, peek_page
from mira.documents.models import Document
from mira.participants.models import HouseholdMember, Participant
from mira.privacy.models import Consent


@dataclass(frozen=True)
class HistorySource:
    key: str
    label: str
    tracked_model: type[models.Model]
    case_lookup: str
    # The column with the id of the case: a search by case number finds the cases first, then their
    # entries by this indexed column.
    case_id_column: str
    # Bookkeeping fields that say nothing to the reader of the history.
    hidden_fields: frozenset = frozenset()

    @cached_property
    def model(self):
        return self.tracked_model.history.model

    def describe(self, record) -> str:
        if self.key == "participant":
            return f"{record.first_name} {record.last_name}"
        if self.key == "household_member":
            return f"{record.first_name} {record.last_name}"
        if self.key == "consent":
            return record.get_purpose_display()
        return record.title


SOURCES = [
    HistorySource(
        "participant",
        gettext_lazy("Case file"),
        Participant,
        "case_number",
        "id",
        # name_keys: the search keys made from the names, which the entry shows.
        frozenset({"id", "version", "created_at", "created_by", "updated_at", "centre", "name_keys"}),
    ),
    HistorySource(
        "household_member",
        gettext_lazy("Household member"),
        HouseholdMember,
        "participant__case_number",
        "participant_id",
        frozenset({"id", "participant", "centre"}),
    ),
    HistorySource(
        "consent",
        gettext_lazy("Consent"),
        Consent,
        "participant__case_number",
        "participant_id",
        frozenset({"id", "participant", "recorded_at", "centre"}),
    ),
    HistorySource(
        "document",
        gettext_lazy("Document"),
        Document,
        "participant__case_number",
        "participant_id",
        frozenset({"id", "participant", "uuid", "uploaded_at", "centre"}),
    ),
]
SOURCES_BY_KEY = {source.key: source for source in SOURCES}

# Entries with more changed fields than this show them on request only.
SHOWN_FIELDS = 6

KIND_LABELS = {
    "+": gettext_lazy("created"),
    "~": gettext_lazy("changed"),
    "-": gettext_lazy("deleted"),
}


def history_page(
    *,
    centre_id: int,
    number=1,
    per_page: int = 50,
    case_number: str = "",
    user_id: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    source: str = "",
) -> PeekPage:
    """Page `number` of the history entries of case data of the centre that match, newest first,
    as rows (source, history_id, at, type, user_id, case_number).

    Each history table is read newest first, as far as the page reaches (an index on the date
    serves it), and PostgreSQL merges the parts and cuts out the page (SQLite: merged here).
    Nothing is counted: the history of a centre runs to hundreds of thousands of entries.

    A search by case number reads the entries of the cases it finds by the index on the case,
    unless it finds most of the centre's cases (see _read_by_case)."""
    if beyond_reach(number):
        return peek_page([], number, per_page)  # says so, and searches nothing
    # A search by part of a case number is planned for its pattern and for the cases it finds: a plan
    # kept for any pattern read the whole trigram index, and one kept for any list of cases probed
    # the index once per case (for all 5,000 cases of a centre, 100 ms).
    with planned_for_each_search(case_number):
        cases = _cases_numbered(centre_id, case_number) if case_number else None
        if cases == {}:
            return peek_page([], number, per_page)
        by_case = cases is not None and _read_by_case(centre_id, cases)
        parts = _matching(
            centre_id=centre_id,
            cases=cases,
            user_id=user_id,
            date_from=date_from,
            date_to=date_to,
            source=source,
            by_case=by_case,
        )
        reach = page_number(number) * per_page + 1
        if len(parts) == 1:
            page = peek_page(parts[0], number, per_page)
        elif parts and connection.features.supports_slicing_ordering_in_compound:
            # One round trip: each table's newest rows as far as the page reaches, read by its own
            # index, as the parts of a UNION ALL that PostgreSQL sorts and cuts to the page (the 400th
            # page took 230 ms when 40,000 rows were sorted here).
            union = parts[0][:reach].union(*(part[:reach] for part in parts[1:]), all=True)
            page = peek_page(union.order_by("-history_date", "-history_id", "-source_key"), number, per_page)
        else:
            # SQLite cannot limit the parts of a UNION: a query per table, merged here.
            rows = [row for part in parts for row in part[:reach]]
            merged = sorted(rows, key=lambda row: (row[2], row[1], row[0]), reverse=True)
            page = peek_page(merged, number, per_page)
    if by_case:
        # The rows carry the id of their case; its number is known from the search.
        page.object_list = [(*row[:5], cases.get(row[5], "")) for row in page.object_list]
    return page


def _cases_numbered(centre_id: int, case_number: str) -> dict[int, str]:
    """id -> case number of the centre's cases whose number contains `case_number`. Read once (case
    numbers never change): filtering each table by the case number itself made PostgreSQL walk the
    centre's whole history in date order looking for the few rows of one case, and a subquery would
    search the case numbers once per table."""
    return dict(
        Participant._base_manager.filter(centre_id=centre_id, case_number__icontains=case_number.strip())
        .order_by()
        .values_list("pk", "case_number")
    )


# Up to this many cases, a search reads their entries by the index on the case without asking how
# many cases the centre has.
FEW_CASES = 100


def _read_by_case(centre_id: int, cases) -> bool:
    """Whether the entries of these cases are read by the index on the case (all their entries,
    then sorted) rather than by walking the centre's history newest first until the page is full.

    The walk costs the entries of the other cases newer than the page; reading by case costs all
    entries of the cases found. Case numbers run by year, so the cases a search finds are usually
    of the same years: searched for "2024" (a quarter of a centre's cases), the walk passed 13,000
    entries of the newer cases (60 ms) where the 8,000 entries of those cases take about 20 ms. PostgreSQL
    cannot see that, nor that all these cases lie in the centre. The walk is kept for a search that
    finds most of the centre's cases: their entries are most of the history, and the page fills
    after a few rows."""
    if len(cases) <= FEW_CASES:
        return True
    return 2 * len(cases) <= Participant._base_manager.filter(centre_id=centre_id).count()


def _matching(*, centre_id, cases, user_id, date_from, date_to, source, by_case=False) -> list:
    """The matching rows of each history table, newest first, as a query per table: of the cases
    `cases` (ids) if given. Each row carries the number of its case, or, `by_case`, its id; the
    entries are then read by the index on the case (see _newest_first)."""
    order = _newest_first(by_case)
    parts = []
    for candidate in SOURCES:
        if source and candidate.key != source:
            continue
        query = candidate.model.objects.filter(centre_id=centre_id)
        if cases is not None:
            query = query.filter(OneOf(candidate.case_id_column, cases))
        if user_id:
            query = query.filter(history_user_id=user_id)
        query = query.filter(within_days("history_date", date_from, date_to))
        parts.append(_rows(candidate, query.order_by(*order), joined=not by_case))
    return parts


def _newest_first(by_case: bool) -> tuple:
    """The order of a history table's entries, newest first.

    Read by case on PostgreSQL, the order is on `history_date + 0`: the same order, but one that no
    index on the date gives. So PostgreSQL does not walk the centre's history by date (see
    _read_by_case); it reads the entries of the cases found from the index on the case alone, which
    includes what a row of the page shows (privacy migration 0012), and sorts them. For "2024", a
    quarter of a centre's cases with 8,800 case-file entries, that part took 12 ms from the table
    and takes 5 ms from the index."""
    if by_case and connection.vendor == "postgresql":
        moment = ExpressionWrapper(
            F("history_date") + Value(datetime.timedelta(0), output_field=DurationField()),
            output_field=DateTimeField(),
        )
        return moment.desc(), F("history_id").desc()
    return "-history_date", "-history_id"


def _rows(source: HistorySource, query, *, joined: bool = True):
    """History rows as history_entries reads them: (source, history_id, at, type, user_id, case_number).

    Without `joined`, the last is the id of the case, for a caller that knows the case numbers: read
    by case, PostgreSQL joined every entry of the cases to its case before sorting them."""
    return query.annotate(source_key=Value(source.key, output_field=CharField())).values_list(
        "source_key",
        "history_id",
        "history_date",
        "history_type",
        "history_user_id",
        source.case_lookup if joined else source.case_id_column,
    )


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    source: HistorySource
    at: datetime.datetime
    kind: str  # "+", "~" or "-"
    user: object
    case_number: str
    description: str
    history_id: int = 0
    changes: list[Change] = field(default_factory=list)
    # How many fields changed; more than len(changes) when the entry is folded.
    field_count: int = 0

    @property
    def folded(self) -> bool:
        return self.field_count > len(self.changes)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def kind_name(self) -> str:
        return {"+": "created", "~": "changed", "-": "deleted"}.get(self.kind, "changed")


def history_entry(*, centre_id: int, source: str, history_id: int) -> HistoryEntry | None:
    """One entry of the centre's history with all its changed fields, or None if there is none."""
    candidate = SOURCES_BY_KEY.get(source)
    if candidate is None:
        return None
    rows = _rows(candidate, candidate.model.objects.filter(centre_id=centre_id, history_id=history_id))
    entries = history_entries(rows, fold=False)
    return entries[0] if entries else None


def history_entries(rows, *, fold: bool = True) -> list[HistoryEntry]:
    """Turns the rows of a history_page into entries with the changed fields (old and new value).

    With `fold`, an entry of more than SHOWN_FIELDS changes carries only their number."""
    from mira.accounts.models import User

    rows = list(rows)
    records = {}
    previous = {}
    for source in SOURCES:
        ids = [row[1] for row in rows if row[0] == source.key]
        if not ids:
            continue
        model = source.model
        # The entries and the versions the changes among them are compared with, in one query: the
        # version before a change is the newest version of the same object below it, and no other
        # version of that object can lie between the two. No ORDER BY: the entries keep the page's
        # order, and the history models' default ordering would cost a sort for nothing.
        earlier = (
            model.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
            .order_by("-history_id")
            .values("history_id")[:1]
        )
        before_changes = (
            model.objects.filter(history_id__in=ids, history_type="~").order_by().values(previous_id=Subquery(earlier))
        )
        # An IN over a UNION ALL, not an OR of two INs: PostgreSQL reads each by the primary key.
        wanted_ids = (
            model.objects.filter(history_id__in=ids).order_by().values("history_id").union(before_changes, all=True)
        )
        versions = {}
        for record in model.objects.filter(history_id__in=wanted_ids).order_by():
            versions.setdefault(record.id, []).append(record)
        wanted = set(ids)
        for same_object in versions.values():
            same_object.sort(key=lambda record: record.history_id)
            for index, record in enumerate(same_object):
                if record.history_id not in wanted:
                    continue
                records[(source.key, record.history_id)] = record
                # Only a change is compared with the version before it.
                if record.history_type == "~" and index:
                    previous[(source.key, record.history_id)] = same_object[index - 1]

    shown_changes = {}  # (source, history id) -> (changes shown, how many fields changed)
    references: dict[type, set] = {}
    for row in rows:
        source = SOURCES_BY_KEY[row[0]]
        record = records.get((row[0], row[1]))
        if record is None:
            continue
        changes = _raw_changes(source, record, previous.get((row[0], row[1])))
        shown = [] if fold and len(changes) > SHOWN_FIELDS else changes
        shown_changes[(row[0], row[1])] = (shown, len(changes))
        for model_field, old, new in shown:
            if model_field.is_relation:
                target = model_field.related_model
                references.setdefault(target, set()).update(value for value in (old, new) if value is not None)
    # The authors of the entries are read with the users the changes name (one query for both).
    references.setdefault(User, set()).update(row[4] for row in rows if row[4])
    users = {}
    names = {}
    for target, keys in references.items():
        if not keys:
            continue
        for obj in target._base_manager.filter(pk__in=keys).order_by():
            names[(target, obj.pk)] = _object_name(obj)
            if target is User:
                users[obj.pk] = obj

    labels = {}  # field -> its name, translated once per page rather than once per change

    def label(model_field) -> str:
        if model_field not in labels:
            labels[model_field] = capfirst(str(model_field.verbose_name))
        return labels[model_field]

    entries = []
    for row in rows:
        source = SOURCES_BY_KEY[row[0]]
        record = records.get((row[0], row[1]))
        if record is None:
            continue
        shown, field_count = shown_changes[(row[0], row[1])]
        entries.append(
            HistoryEntry(
                source=source,
                at=row[2],
                kind=row[3],
                user=users.get(row[4]),
                case_number=row[5] or "",
                description=source.describe(record),
                history_id=row[1],
                changes=[
                    Change(
                        label=label(model_field),
                        old=_display(model_field, old, names),
                        new=_display(model_field, new, names),
                    )
                    for model_field, old, new in shown
                ],
                field_count=field_count,
            )
        )
    return entries


def _tracked_fields(source: HistorySource, record) -> list:
    return [f for f in record.tracked_fields if f.name not in source.hidden_fields]


def _raw_changes(source: HistorySource, record, before) -> list[tuple]:
    """(field, old value, new value) for each changed field; ids for relations."""
    fields = _tracked_fields(source, record)
    if record.history_type == "+" or before is None:
        if record.history_type == "-":
            return []
        return [
            (f, None, getattr(record, f.attname)) for f in fields if getattr(record, f.attname) not in (None, "", False)
        ]
    if record.history_type == "-":
        return []
    # Like simple-history's diff_against, but over every tracked field: diff_against
    # skips fields that are not editable in forms (case number, closing date, ...).
    return [
        (f, getattr(before, f.attname), getattr(record, f.attname))
        for f in fields
        if getattr(before, f.attname) != getattr(record, f.attname)
    ]


def _object_name(obj) -> str:
    full_name = getattr(obj, "get_full_name", None)
    if full_name:
        return full_name() or obj.get_username()
    return str(obj)


def _display(model_field, value, names) -> str:
    if value is None or value == "":
        return ""
    if model_field.is_relation:
        return names.get((model_field.related_model, value), f"#{value}")
    if model_field.choices:
        return str(choice_label(model_field, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)
