"""The anonymised statistics: totals computed only from what an erased case keeps.

There is no reporting app yet; its reports must give the same totals before and after a
deletion run, so they may count only what survives anonymisation (see the registry in
mira.core.personal_data): the case row's centre, stage, dates, gender, nationality, year of
birth and return country, the counselling sessions, and the aid amounts by status.
statistics_snapshot is that contract, and the deletion-run test compares it before and after.
"""

from collections import Counter
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django_scopes import scopes_disabled

from mira.participants.models import Participant

# Age at the opening of the case, from the year of birth only (all an erased case keeps).
AGE_BANDS = ((0, 17, "0-17"), (18, 26, "18-26"), (27, 39, "27-39"), (40, 59, "40-59"), (60, 200, "60+"))


def age_band(*, birth_year: int, opened_year: int) -> str:
    age = opened_year - birth_year
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return "unknown"


def statistics_snapshot(*, centre=None) -> dict:
    """Totals of the installation (or of one centre): cases by stage, nationality, return
    country, gender, year opened and age band at opening; counselling sessions by year;
    aid requests and their sums by status. Plain dicts with sorted keys, amounts as strings."""
    with scopes_disabled():
        participants = Participant._base_manager.all()
        if centre is not None:
            participants = participants.filter(centre=centre)
        by_stage, by_nationality, by_country, by_gender, by_year, by_age = (Counter() for _ in range(6))
        rows = participants.values_list(
            "stage", "nationalities", "is_stateless", "return_country", "gender", "opened_on", "date_of_birth"
        )
        for stage, nationalities, is_stateless, return_country, gender, opened_on, born in rows:
            by_stage[stage] += 1
            for code in nationalities.split() or ["stateless" if is_stateless else "unknown"]:
                by_nationality[code] += 1
            by_country[return_country or "unknown"] += 1
            by_gender[gender] += 1
            by_year[str(opened_on.year)] += 1
            by_age[age_band(birth_year=born.year, opened_year=opened_on.year)] += 1
        return {
            "cases": participants.count(),
            "by_stage": _sorted(by_stage),
            "by_nationality": _sorted(by_nationality),
            "by_return_country": _sorted(by_country),
            "by_gender": _sorted(by_gender),
            "by_year_opened": _sorted(by_year),
            "by_age_band": _sorted(by_age),
            "sessions_by_year": _sessions_by_year(participants),
            "aid_by_status": _aid_by_status(participants),
        }


def _sorted(counter: Counter) -> dict:
    return dict(sorted(counter.items()))


def _sessions_by_year(participants) -> dict:
    from mira.counselling.models import CounsellingSession

    rows = (
        CounsellingSession._base_manager.filter(participant__in=participants)
        .annotate(year=ExtractYear("started_at"))
        .values("year")
        .annotate(number=Count("id"), minutes=Sum("duration_minutes"))
        .order_by("year")
    )
    return {str(row["year"]): {"sessions": row["number"], "minutes": row["minutes"]} for row in rows}


def _aid_by_status(participants) -> dict:
    from mira.aid.models import AidRequest

    rows = (
        AidRequest._base_manager.filter(participant__in=participants)
        .values("status")
        .annotate(number=Count("id"), total=Sum("total"))
        .order_by("status")
    )
    return {row["status"]: {"requests": row["number"], "total": str(row["total"] or Decimal("0.00"))} for row in rows}
