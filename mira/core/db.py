"""Database helpers that several apps share."""

from contextlib import contextmanager

from django.db import connections, transaction


@contextmanager
def planned_for_each_search(using: str = "default"):
    """Runs the queries inside with a plan made for their own values (PostgreSQL).

    MIRA lets psycopg prepare a query after its second run on a connection, and PostgreSQL then
    keeps a generic plan when it looks no dearer than the plans made for the values. For a search
    of part of a text (`icontains`), a generic plan cannot know the pattern: it read the trigram
    index for any pattern, and a search for "a" or "2024" in the read-access log collected 1.25
    million index entries (150 ms) where the plan for the pattern reads 26 rows (0.03 ms). Within
    this block each run is planned for its pattern; the plan costs a few tenths of a millisecond."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        yield
