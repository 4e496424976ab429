import pytest

from mira.accounts.models import Centre
from mira.core.pagination import first_with_total

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("rows", "queries"), [(0, 1), (3, 1), (4, 2), (9, 2)])
def test_first_with_total_counts_only_a_longer_list(rows, queries, django_assert_num_queries):
    Centre.objects.bulk_create([Centre(code=f"T{number}", name=f"Test {number}") for number in range(rows)])
    everything = Centre.objects.filter(code__startswith="T").order_by("code")
    with django_assert_num_queries(queries):
        shown, total = first_with_total(everything, 3)
    assert [centre.code for centre in shown] == [f"T{number}" for number in range(min(rows, 3))]
    assert total == rows
