import json
import os
import subprocess
import sys

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_page_queries_run_without_parallel_workers():
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


def _options(**env) -> dict:
    code = "import json, mira.settings as s; print(json.dumps(s.DATABASES['default'].get('OPTIONS', {})))"
    environ = {**os.environ, "DATABASE_URL": "postgres://mira@db.example.org/mira", "MIRA_DEBUG": "1", **env}
    result = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_parallel_workers_can_be_set_or_left_to_the_server():
    no_prepare = {"MIRA_DB_PREPARE_THRESHOLD": ""}
    assert _options(MIRA_DB_MAX_PARALLEL_WORKERS="2", **no_prepare) == {
        "options": "-c max_parallel_workers_per_gather=2"
    }
    assert _options(MIRA_DB_MAX_PARALLEL_WORKERS="", **no_prepare) == {}


def test_prepared_statements_by_default_and_off_for_poolers():
    env = {"MIRA_DB_MAX_PARALLEL_WORKERS": ""}
    assert _options(**env) == {"server_side_binding": True, "prepare_threshold": 2}
    assert _options(MIRA_DB_PREPARE_THRESHOLD="0", **env) == {"server_side_binding": True, "prepare_threshold": 0}
    assert _options(MIRA_DB_PREPARE_THRESHOLD="", **env) == {}


def test_queries_are_prepared_after_their_second_run():
    """The suite runs with the production database options: a repeated query becomes a prepared
    statement of the connection (psycopg names them _pg3_0, _pg3_1 …)."""
    from mira.accounts.models import Centre

    for _ in range(4):
        list(Centre.objects.filter(code="EF").values_list("pk"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name LIKE '_pg3_%%'")
        assert cursor.fetchone()[0] >= 1
