import pytest
from django.db import connection

from mira.core.db import planned_for_each_search


def _setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def _plan_cache_mode() -> str:
    return _setting("plan_cache_mode")


@pytest.mark.django_db(transaction=True)
def test_searches_are_planned_for_their_own_pattern_and_only_inside_the_block():
    # The suite runs on PostgreSQL, as production does (a generic plan of a LIKE search read the
    # whole trigram index for a pattern of one letter).
    assert connection.vendor == "postgresql"
    assert _plan_cache_mode() == "auto"
    with planned_for_each_search("2024"):
        assert _plan_cache_mode() == "force_custom_plan"
    # The setting ends with the block's transaction: the connection serves the next request as before.
    assert _plan_cache_mode() == "auto"
    # Without a search the block runs as it is, with no transaction of its own.
    with planned_for_each_search(""):
        assert _plan_cache_mode() == "auto"
        assert connection.get_autocommit()


@pytest.mark.django_db
def test_one_of_filters_like_in_with_the_ids_as_one_parameter(centre, other_centre):
    from django.test.utils import CaptureQueriesContext

    from mira.core.db import OneOf
    from mira.participants.models import Participant
    from mira.participants.tests.factories import ParticipantFactory

    cases = [ParticipantFactory(centre=centre) for _ in range(3)] + [ParticipantFactory(centre=other_centre)]
    wanted = [cases[0].pk, cases[2].pk, cases[3].pk]
    manager = Participant._base_manager
    with CaptureQueriesContext(connection) as queries:
        found = sorted(manager.filter(OneOf("id", wanted)).values_list("pk", flat=True))
    assert found == sorted(manager.filter(pk__in=wanted).values_list("pk", flat=True)) == sorted(wanted)
    assert "= ANY(" in queries[0]["sql"]
    # Combined with other conditions and with an empty list, as __in is.
    in_centre = manager.filter(OneOf("id", wanted), centre=centre).values_list("pk", flat=True)
    assert sorted(in_centre) == sorted([cases[0].pk, cases[2].pk])
    assert list(manager.filter(OneOf("id", []))) == []
    # Ids arrive as strings from a form: they are turned into numbers, never into SQL.
    assert list(manager.filter(OneOf("id", [str(cases[1].pk)])).values_list("pk", flat=True)) == [cases[1].pk]
    with pytest.raises(ValueError):
        OneOf("id", ["1); DROP TABLE participants_participant; --"])
