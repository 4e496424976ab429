import pytest
from django.db import connection

from mira.core.db import planned_for_each_search


def _plan_cache_mode() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_searches_are_planned_for_their_own_pattern_and_only_inside_the_block():
    # The suite runs on PostgreSQL, as production does (a generic plan of a LIKE search read the
    # whole trigram index for a pattern of one letter).
    assert connection.vendor == "postgresql"
    assert _plan_cache_mode() == "auto"
    with planned_for_each_search():
        assert _plan_cache_mode() == "force_custom_plan"
    # The setting ends with the block's transaction: the connection serves the next request as before.
    assert _plan_cache_mode() == "auto"
