"""The benchmark's pages with every filter they offer: `make sweep` (not part of the tests).

The benchmark measures each key page once, mostly unfiltered. A list that is fast unfiltered can
be slow for one value of one filter (the centre's done tasks, a search by part of a case number).
This opens each page of the benchmark (scripts/bench.py) in the process, as the same users and
against the same database (DATABASE_URL), reads the page's GET filter form, and times the page
once per variant: each option of each select, each sort link of the table, and a few typed
searches in each text field (one letter, a year, two letters of a name, a Cyrillic name; a date
in each date field), and two deep pages (the 100th, and one past the end, which a counted list
answers with its last page). It prints the variants slower than SWEEP_LIMIT_MS (default 25 ms in the
process, about half the benchmark's limit on a slow machine) and the slowest ones of all.

Environment: DATABASE_URL, SWEEP_RUNS (median of, default 3), SWEEP_LIMIT_MS, BENCH_PAGES (as for
the benchmark).
"""

import os
import statistics
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402 (the benchmark's pages and users)

RUNS = int(os.environ.get("SWEEP_RUNS", "3"))
LIMIT_MS = float(os.environ.get("SWEEP_LIMIT_MS", "25"))
# Options of one select tried at most (a select of all countries has 250).
OPTIONS_PER_SELECT = 40
TYPED = ("a", "2024", "mu", "Петров")
DEEP_PAGES = (100, 100000)
# Selects that are not filters of the list.
NOT_FILTERS = {"language"}


class FilterForm(HTMLParser):
    """The fields of a page's GET forms and the sort links of its tables."""

    def __init__(self):
        super().__init__()
        self.selects: dict[str, list[str]] = {}
        self.inputs: list[tuple[str, str]] = []
        self.sort_links: set[str] = set()
        self._select = None
        self._in_get_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_get_form = (attrs.get("method") or "get").lower() == "get"
        elif tag == "select" and self._in_get_form and attrs.get("name"):
            self._select = attrs["name"]
            self.selects[self._select] = []
        elif tag == "option" and self._select:
            self.selects[self._select].append(attrs.get("value") or "")
        elif tag == "input" and self._in_get_form and attrs.get("name"):
            kind = attrs.get("type") or "text"
            if kind in ("text", "search", "date"):
                self.inputs.append((attrs["name"], kind))
        elif tag == "a" and (attrs.get("href") or "").startswith("?") and "sort=" in attrs["href"]:
            self.sort_links.add(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._in_get_form = False


def variants(html: str) -> list[dict]:
    form = FilterForm()
    form.feed(html)
    found = []
    for name, options in form.selects.items():
        if name not in NOT_FILTERS:
            found += [{name: option} for option in options if option][:OPTIONS_PER_SELECT]
    for name, kind in form.inputs:
        found += [{name: "2023-01-01"}] if kind == "date" else [{name: text} for text in TYPED]
    found += [dict(parse_qsl(link[1:])) for link in sorted(form.sort_links)]
    # Deep pages: the 100th, and one far past the end (a counted list shows its last page then).
    found += [{"page": str(number)} for number in DEEP_PAGES]
    return found


def timed(client, url: str) -> tuple[float, int]:
    times = []
    status = 0
    for _ in range(RUNS):
        started = time.perf_counter()
        status = client.get(url).status_code
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), status


def main():
    bench.in_process(sweep)


def sweep():
    from django.test import Client

    users = bench.bench_users()
    pages = [
        (label, path, role)
        for label, (path, role, kind) in bench.pages_for(users).items()
        if kind == "page" and "?" not in path and not label.startswith("health")
    ]
    clients = {}
    results = []
    print(f"Median of {RUNS} requests per variant, in ms; variants over {LIMIT_MS:g} ms are listed.\n")
    for label, path, role in pages:
        if role not in clients:
            clients[role] = Client(SERVER_NAME="127.0.0.1")
            clients[role].force_login(users[role])
        client = clients[role]
        page = client.get(path)
        found = variants(page.content.decode())
        unfiltered, _status = timed(client, path)
        print(f"{label}: {unfiltered:.1f} ms unfiltered, {len(found)} variants", flush=True)
        for query in found:
            ms, status = timed(client, f"{path}?{urlencode(query)}")
            results.append((ms, label, query, status))
            if ms > LIMIT_MS or status != 200:
                print(f"  {ms:7.1f} ms  HTTP {status}  {urlencode(query)}", flush=True)
    results.sort(key=lambda result: result[0], reverse=True)
    print("\nSlowest variants:")
    for ms, label, query, status in results[:15]:
        print(f"  {ms:7.1f} ms  HTTP {status}  {label}: {urlencode(query)}")
    failed = [result for result in results if result[3] != 200]
    if failed:
        sys.exit(f"{len(failed)} variants did not answer HTTP 200.")


if __name__ == "__main__":
    main()
