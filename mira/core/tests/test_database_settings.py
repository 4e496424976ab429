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
    assert _options(MIRA_DB_MAX_PARALLEL_WORKERS="2") == {"options": "-c max_parallel_workers_per_gather=2"}
    assert _options(MIRA_DB_MAX_PARALLEL_WORKERS="") == {}
