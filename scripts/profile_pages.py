"""Where a page's time goes: `make profile` (not part of the tests, like the benchmark).

Opens the benchmark's key pages (scripts/bench.py) in the process, as the same users and with the
same production settings, against the same database (DATABASE_URL), and prints for each the median
of PROFILE_RUNS requests split into the time spent in SQL (the database driver's execute, planning
and fetching included), in rendering templates, and in the rest (middleware, the ORM building
queries and objects, the view's own work).

The last column is the share of the minimal view's throughput the page would reach if its
templates cost nothing: the minimal view's time over the page's time without its templates. It
tells whether a page could meet the throughput target by making its templates faster alone.

With PROFILE_CPROFILE=1 it prints cProfile's 40 most expensive functions of each page instead
(PROFILE_SORT: cumulative, default, or tottime).

Environment: DATABASE_URL, PROFILE_RUNS (default 50), BENCH_PAGES (as for the benchmark).
"""

import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402 (the benchmark's pages and users)

RUNS = int(os.environ.get("PROFILE_RUNS", "50"))
WARM_UP = 10


class Split:
    """Times the SQL and the outermost template render of one request."""

    def __init__(self):
        self.sql = self.templates = 0.0
        self._depth = 0

    def reset(self):
        self.sql = self.templates = 0.0

    def execute_wrapper(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.sql += elapsed
            if self._depth:  # a query run from a template counts as SQL, not as the template's
                self.templates -= elapsed

    def wrap_render(self, render):
        def timed_render(template, context=None, request=None):
            self._depth += 1
            started = time.perf_counter()
            try:
                return render(template, context, request)
            finally:
                self._depth -= 1
                if not self._depth:
                    self.templates += time.perf_counter() - started

        return timed_render


def main():
    bench.in_process(profile_pages)


def profile_pages():
    from django.db import connection
    from django.template.backends import django as django_backend
    from django.test import Client

    users = bench.bench_users()
    pages = {label: page for label, page in bench.pages_for(users).items() if page[2] in ("page", "part")}
    split = Split()
    django_backend.Template.render = split.wrap_render(django_backend.Template.render)
    clients = {}
    ceiling = None
    print(f"Median of {RUNS} requests per page, in ms.\n")
    print(f"{'page':45} {'total':>7} {'SQL':>7} {'templates':>9} {'rest':>7} {'share without templates':>24}")
    for label, (path, role, _kind) in pages.items():
        if role not in clients:
            clients[role] = Client(SERVER_NAME="127.0.0.1")
            clients[role].force_login(users[role])
        client = clients[role]
        for _ in range(WARM_UP):
            client.get(path)
        if os.environ.get("PROFILE_CPROFILE") == "1":
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(RUNS):
                client.get(path)
            profile.disable()
            print(f"\n{label}")
            pstats.Stats(profile).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(40)
            continue
        totals, sql, templates = [], [], []
        with connection.execute_wrapper(split.execute_wrapper):
            for _ in range(RUNS):
                split.reset()
                started = time.perf_counter()
                client.get(path)
                totals.append((time.perf_counter() - started) * 1000)
                sql.append(split.sql * 1000)
                templates.append(split.templates * 1000)
        total, in_sql, in_templates = (statistics.median(values) for values in (totals, sql, templates))
        if ceiling is None:
            ceiling = total  # the first page is the minimal view
        share = f"{min(1.0, ceiling / (total - in_templates)):.0%}"
        print(
            f"{label:45} {total:7.2f} {in_sql:7.2f} {in_templates:9.2f} {total - in_sql - in_templates:7.2f} {share:>24}"
        )


if __name__ == "__main__":
    main()
