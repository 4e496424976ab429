"""Reads of case files. Every query here runs inside the centre scope (django-scopes)."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from mira.core.geo import country_codes_matching
from mira.core.pagination import first_with_total
from mira.participants.models import CLOSED_STAGES, CaseEvent, HouseholdMember, Participant, Stage
from mira.participants.names import name_keys, names_match


def participant_duplicates(
    *, centre_id: int, first_name: str, last_name: str, date_of_birth: datetime.date,
    first_name_original: str = "", last_name_original: str = "", exclude_id: int | None = None,
) -> list[Participant]:  # fmt: skip
    """Cases of the same centre with the same date of birth and a matching name in any spelling or script."""
    candidates = Participant.objects.filter(centre_id=centre_id, date_of_birth=date_of_birth).select_related(
        "assigned_counsellor"
    )
    if exclude_id:
        candidates = candidates.exclude(pk=exclude_id)
    spellings = [(first_name, last_name)]
    if first_name_original or last_name_original:
        spellings.append((first_name_original, last_name_original))
    matches = []
    for candidate in candidates:
        theirs = [(candidate.first_name, candidate.last_name)]
        if candidate.original_name:
            theirs.append((candidate.first_name_original, candidate.last_name_original))
        if any(names_match(a, b, c, d) for a, b in spellings for c, d in theirs):
            matches.append(candidate)
    return matches


def participant_search_filter(query: str) -> Q:
    """Matches the case number, a nationality (code or country name), or names in any
    spelling or script: every word of the query must match some name of the case."""
    query = query.strip()
    condition = Q(case_number__icontains=query)
    if len(query) == 2 and query.isalpha():
        condition |= Q(nationalities__contains=query.upper())
    for code in country_codes_matching(query):
        condition |= Q(nationalities__contains=code)
    words = query.split()
    if words:
        all_words = Q()
        for word in words:
            word_condition = (
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(first_name_original__icontains=word)
                | Q(last_name_original__icontains=word)
            )
            for key in name_keys(word).split():
                word_condition |= Q(name_keys__contains=f" {key} ")
            all_words &= word_condition
        condition |= all_words
    return condition


# Sort keys of the case list: URL value -> order_by fields (ascending).
LIST_SORTS = {
    "case_number": ("case_number",),
    "name": ("last_name", "first_name", "id"),
    "opened": ("opened_on", "id"),
    "stage": ("stage_order", "opened_on", "id"),
    "counsellor": ("assigned_counsellor__last_name", "assigned_counsellor__first_name", "id"),
    "last_contact": ("last_contact_on", "id"),
}
DEFAULT_LIST_SORT = "-opened"


class CaseStatus:
    OPEN = "open"
    CLOSED = "closed"
    ALL = "all"


@dataclass(frozen=True)
class CaseListFilter:
    query: str = ""
    stage: str = ""
    counsellor_id: int | None = None
    return_country: str = ""
    only_mine_of: int | None = None  # a user id: only the cases assigned to them
    status: str = CaseStatus.OPEN
    sort: str = DEFAULT_LIST_SORT


def participant_list(*, filters: CaseListFilter) -> QuerySet[Participant]:
    """The case list: filtered, sorted, with everything a row shows in the same query."""
    # The household size is a subquery per row shown, not a join with GROUP BY over the whole
    # list: the page query stops after its 25 rows and the paginator's count stays a plain count.
    # It is tied to a row of the scoped outer query, so the plain manager does (no second join).
    household_size = (
        HouseholdMember._base_manager.filter(participant=OuterRef("pk"))
        .order_by()
        .values("participant")
        .annotate(count=Count("pk"))
        .values("count")
    )
    participants = Participant.objects.select_related("assigned_counsellor").annotate(
        household_size=Coalesce(Subquery(household_size, output_field=IntegerField()), 0),
        stage_order=Case(
            *[When(stage=value, then=Value(index)) for index, value in enumerate(Stage.values)],
            output_field=IntegerField(),
        ),
    )
    if filters.query.strip():
        participants = participants.filter(participant_search_filter(filters.query))
    if filters.stage:
        participants = participants.filter(stage=filters.stage)
    if filters.counsellor_id:
        participants = participants.filter(assigned_counsellor_id=filters.counsellor_id)
    if filters.only_mine_of:
        participants = participants.filter(assigned_counsellor_id=filters.only_mine_of)
    if filters.return_country:
        participants = participants.filter(return_country=filters.return_country)
    if filters.status == CaseStatus.OPEN:
        participants = participants.exclude(stage__in=CLOSED_STAGES)
    elif filters.status == CaseStatus.CLOSED:
        participants = participants.filter(stage__in=CLOSED_STAGES)
    return participants.order_by(*_ordering(filters.sort))


# Sort fields that may be empty: cases without a last contact go to the end whichever way the
# list is sorted. The others are never empty and sort plainly, so an index such as
# (centre, -opened_on, -id) serves the list directly.
NULLABLE_SORT_FIELDS = frozenset({"last_contact_on"})


def _ordering(sort: str) -> list:
    key, descending = sort.lstrip("-"), sort.startswith("-")
    if key not in LIST_SORTS:
        key, descending = DEFAULT_LIST_SORT.lstrip("-"), DEFAULT_LIST_SORT.startswith("-")
    ordering = []
    for name in LIST_SORTS[key]:
        nulls_last = True if name in NULLABLE_SORT_FIELDS else None
        ordering.append(F(name).desc(nulls_last=nulls_last) if descending else F(name).asc(nulls_last=nulls_last))
    return ordering


def participant_return_countries(*, centre_id: int) -> list[str]:
    """The return countries that occur in the centre's cases (for the list filter)."""
    return list(
        Participant.objects.filter(centre_id=centre_id)
        .exclude(return_country="")
        .order_by("return_country")
        .values_list("return_country", flat=True)
        .distinct()
    )


def household_members_of(participant: Participant) -> QuerySet[HouseholdMember]:
    return participant.household_members.all()


TIMELINE_CAP = 20


def case_timeline(*, participant: Participant, limit: int | None = TIMELINE_CAP) -> tuple[list[CaseEvent], int]:
    """The case's events, newest first, at most `limit` of them; and how many there are in all
    (counted only when there are more than the limit)."""
    events = CaseEvent.objects.filter(participant=participant).select_related("actor")
    if not limit:
        shown = list(events)
        return shown, len(shown)
    return first_with_total(events, limit)


def participant_last_editor(*, participant: Participant):
    """Who saved the case last and when, from its history: (user or None, datetime) or None."""
    record = participant.history.select_related("history_user").order_by("-history_date").first()
    if record is None:
        return None
    return record.history_user, record.history_date
