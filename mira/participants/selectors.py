"""Reads of case files. Every query here runs inside the centre scope (django-scopes)."""

import datetime

from django.db.models import Q, QuerySet

from mira.participants.models import HouseholdMember, Participant
from mira.participants.names import name_keys, names_match


def participant_duplicates(
    *, centre_id: int, first_name: str, last_name: str, date_of_birth: datetime.date,
    first_name_original: str = "", last_name_original: str = "", exclude_id: int | None = None,
) -> list[Participant]:  # fmt: skip
    """Cases of the same centre with the same date of birth and a matching name in any spelling or script."""
    candidates = Participant.objects.filter(centre_id=centre_id, date_of_birth=date_of_birth)
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
    """Matches the case number, a nationality code, or names in any spelling or script:
    every word of the query must match some name of the case."""
    query = query.strip()
    condition = Q(case_number__icontains=query)
    if len(query) == 2 and query.isalpha():
        condition |= Q(nationalities__contains=query.upper())
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


def household_members_of(participant: Participant) -> QuerySet[HouseholdMember]:
    return participant.household_members.all()
