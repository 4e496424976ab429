import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled

from mira.accounts.models import Role
from mira.participants.models import CaseNumberCounter, Participant
from mira.participants.services import case_number_next, participant_create
from mira.participants.tests.factories import CentreFactory, UserFactory

YEAR = timezone.localdate().year


def new_participant(counsellor, number: int) -> Participant:
    return Participant(
        first_name="Person",
        last_name=f"Nummer{number}",
        date_of_birth="1985-01-01",
        nationalities="GE",
        postcode="99084",
        city="Erfurt",
        district="Erfurt",
        assigned_counsellor=counsellor,
        eligibility_evidence="passport",
    )


@pytest.mark.django_db
def test_case_numbers_count_up_per_centre_and_year(centre, other_centre):
    assert case_number_next(centre=centre, year=2026) == "EF-2026-0001"
    assert case_number_next(centre=centre, year=2026) == "EF-2026-0002"
    assert case_number_next(centre=other_centre, year=2026) == "GE-2026-0001"
    assert case_number_next(centre=centre, year=2027) == "EF-2027-0001"


@pytest.mark.django_db
def test_case_number_is_not_used_up_by_a_refused_intake(counsellor):
    refused = new_participant(counsellor, 1)
    refused.nationalities = "FR"
    with pytest.raises(ValidationError):
        participant_create(participant=refused, actor=counsellor)
    created = participant_create(participant=new_participant(counsellor, 2), actor=counsellor)
    assert created.case_number == f"EF-{YEAR}-0001"


@pytest.mark.django_db(transaction=True)
def test_case_numbers_of_simultaneous_intakes_are_distinct_and_consecutive():
    with scopes_disabled():
        centre = CentreFactory(code="EF")
        counsellors = [UserFactory(username=f"berater{n}", role=Role.COUNSELLOR, centre=centre) for n in range(8)]
    barrier = threading.Barrier(len(counsellors))
    numbers, failures = [], []

    def intake(counsellor, index):
        try:
            with scopes_disabled():
                barrier.wait(timeout=10)
                participant = participant_create(participant=new_participant(counsellor, index), actor=counsellor)
                numbers.append(participant.case_number)
        except Exception as error:  # reported below
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=intake, args=(c, i)) for i, c in enumerate(counsellors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert sorted(numbers) == [f"EF-{YEAR}-{n:04d}" for n in range(1, 9)]
    with scopes_disabled():
        assert Participant.objects.count() == 8
        assert CaseNumberCounter.objects.get(centre=centre, year=YEAR).last_value == 8
