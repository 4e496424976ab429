"""MIRA's benchmark: `make bench` (separate from the tests; timings never go into tests).

On PostgreSQL (DATABASE_URL), with synthetic data (BENCH_PARTICIPANTS, default 100,000, generated
once per database), the app runs under gunicorn with production settings and wrk drives it over HTTP
from a second process, logged in as a counsellor. For every key page: p50 and p95 latency and
requests per second at 1 and 8 concurrent clients, the SQL query count, the bytes transferred on a
first load (compressed HTML plus its CSS, JS and fonts), and the same latency figures for the minimal
view /healthz measured in the same run as the ceiling. Results: docs/benchmarks.json and
docs/benchmarks.md. Targets (docs/benchmarks.md) are checked and reported, never asserted in tests.
"""

import gzip
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DURATION = os.environ.get("BENCH_DURATION", "10s")
PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", "100000"))
TARGET_P95_MS = 50.0
TARGET_SHARE_OF_CEILING = 0.30
TARGET_PAGE_BYTES = 150 * 1024
TARGET_PDF_MS = 1000.0

SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "mira.settings",
    "MIRA_SECRET_KEY": "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "MIRA_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "MIRA_SSL_REDIRECT": "0",
    "MIRA_REQUIRE_SECOND_FACTOR": "0",
    "MIRA_LOG_LEVEL": "WARNING",
}

LUA = """
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
               + summary.errors.write + summary.errors.timeout
  io.write(string.format('BENCH {"requests": %d, "seconds": %f, "p50_ms": %f, "p95_ms": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000, errors))
end
"""


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path:
        return path
    print("Installing wrk (Debian package) for the benchmark ...")
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True)
    subprocess.run(
        [*prefix, "apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    return shutil.which("wrk")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def setup_django():
    os.environ.update(SERVER_ENV)
    import django

    django.setup()


def prepare_database():
    from django.core.management import call_command

    from mira.accounts.models import Centre

    call_command("migrate", verbosity=0)
    if not Centre.objects.filter(name__startswith="Synthetic centre").exists():
        print(f"Generating {PARTICIPANTS} synthetic participants (once per database) ...")
        call_command("generate_synthetic_data", participants=PARTICIPANTS, yes=True)
    call_command("collectstatic", verbosity=0, interactive=False)


def bench_session(role: str):
    """A logged-in session of a user of centre 01 with the role, created directly in the
    session store (as a login would)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from mira.accounts.models import User

    user = User.objects.filter(role=role, centre__name="Synthetic centre 01").order_by("pk").first()
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.set_expiry(24 * 3600)
    session.create()
    return user, session.session_key


def pages_for(user) -> dict[str, tuple[str, str]]:
    """The key pages that exist in this version of MIRA, with real objects of the user's centre:
    label -> (path, role of the user who opens it)."""
    from urllib.parse import urlencode

    from django.urls import NoReverseMatch, reverse
    from django_scopes import scopes_disabled

    from mira.participants.models import Participant

    with scopes_disabled():
        participant = (
            Participant.objects.filter(centre=user.centre, assigned_counsellor=user).order_by("-opened_on").first()
        )
        surname = participant.last_name
    candidates = [
        ("health (ceiling)", "health", {}, {}, "counsellor"),
        ("case list", "participants:list", {}, {}, "counsellor"),
        ("case list, search by name", "participants:list", {}, {"q": surname}, "counsellor"),
        ("case list, search other spelling", "participants:list", {}, {"q": "Muhammad"}, "counsellor"),
        ("case page", "participants:detail", {"pk": participant.pk}, {}, "counsellor"),
        ("my day", "counselling:my_day", {}, {}, "counsellor"),
        ("calendar week", "counselling:calendar", {}, {}, "counsellor"),
        ("roadmap editor", "roadmap:editor", {"participant_pk": participant.pk}, {}, "counsellor"),
        ("roadmap PDF", "roadmap:pdf", {"participant_pk": participant.pk}, {}, "counsellor"),
        ("aid budgets", "aid:budgets", {}, {}, "coordinator"),
        ("network directory", "network:organisation_list", {}, {}, "counsellor"),
    ]
    pages = {}
    for label, name, kwargs, query, role in candidates:
        try:
            pages[label] = (reverse(name, kwargs=kwargs) + (f"?{urlencode(query)}" if query else ""), role)
        except NoReverseMatch:
            print(f"  (skipped {label}: {name} does not exist in this version)")
    return pages


def query_counts(users: dict, pages: dict) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = {}
    for role, user in users.items():
        clients[role] = Client(SERVER_NAME="127.0.0.1")
        clients[role].force_login(user)
    counts = {}
    for label, (path, role) in pages.items():
        client = clients[role]
        client.get(path)  # warm caches as the server would be warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        counts[label] = len(queries) if response.status_code < 400 else -response.status_code
    return counts


def first_load_bytes(base: str, path: str, cookie: str) -> int:
    """Compressed size of the page and the static assets it references (a first load, empty cache)."""

    def fetch(url: str) -> tuple[bytes, int]:
        request = urllib.request.Request(url, headers={"Cookie": cookie, "Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:  # noqa: S310 (loopback only)
            body = response.read()
            if response.headers.get("Content-Encoding") == "gzip":
                return gzip.decompress(body), len(body)
            return body, len(gzip.compress(body))  # what a compressing proxy would send

    html, total = fetch(base + path)
    assets = set(re.findall(rb'(?:href|src)="(/static/[^"]+)"', html))
    for asset in assets:
        body, size = fetch(base + asset.decode())
        total += size
        if asset.endswith(b".css"):
            for font in set(re.findall(rb'url\("?([^")]+\.woff2)[^")]*"?\)', body)):
                font_url = base + str(Path(asset.decode()).parent / font.decode())
                total += fetch(font_url)[1]
    return total


def run_wrk(wrk: str, url: str, cookie: str, connections: int, lua_path: str) -> dict:
    output = subprocess.run(
        [
            wrk,
            "-t",
            "1" if connections == 1 else "2",
            "-c",
            str(connections),
            "-d",
            DURATION,
            "--timeout",
            "10s",
            "-s",
            lua_path,
            "-H",
            f"Cookie: {cookie}",
            url,
        ],  # fmt: skip
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(output.split("BENCH ", 1)[1])
    result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0.0
    return result


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(memory, 1), "python": platform.python_version(),
            "postgresql": postgres, "system": platform.platform()}  # fmt: skip


def main():
    setup_django()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("The benchmark runs on PostgreSQL: set DATABASE_URL (make bench does).")
    wrk = ensure_wrk()
    prepare_database()
    users, cookies = {}, {}
    for role in ("counsellor", "coordinator"):
        users[role], session_key = bench_session(role)
        cookies[role] = f"sessionid={session_key}"
    pages = pages_for(users["counsellor"])
    counts = query_counts(users, pages)
    machine_info = machine()
    connection.close()

    port = free_port()
    workers = str(max(2, os.cpu_count() or 2))
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "mira.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            workers,
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV},
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    results = {}
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz")  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write(LUA)
        for label, (path, role) in pages.items():
            print(f"  {label} ...", flush=True)
            cookie = cookies[role]
            if counts[label] < 0:
                print(f"    skipped: the page answers HTTP {-counts[label]} (no data for it?)")
                continue
            run_wrk(wrk, base + path, cookie, 1, lua.name)  # warm-up, discarded
            results[label] = {
                "path": path,
                "as": role,
                "queries": counts[label],
                "first_load_bytes": first_load_bytes(base, path, cookie),
                "clients_1": run_wrk(wrk, base + path, cookie, 1, lua.name),
                "clients_8": run_wrk(wrk, base + path, cookie, 8, lua.name),
            }
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    ceiling = results["health (ceiling)"]["clients_8"]["rps"]
    checks = []
    for label, result in results.items():
        if label.startswith("health"):
            continue
        is_pdf = "PDF" in label
        p95 = result["clients_1"]["p95_ms"]
        limit = TARGET_PDF_MS if is_pdf else TARGET_P95_MS
        share = result["clients_8"]["rps"] / ceiling if ceiling else 0
        result["share_of_ceiling"] = share
        result["targets"] = {
            "p95_1_client": p95 <= limit,
            "throughput_8_clients": is_pdf or share >= TARGET_SHARE_OF_CEILING,
            "first_load_bytes": is_pdf or result["first_load_bytes"] <= TARGET_PAGE_BYTES,
            "no_errors": result["clients_1"]["errors"] == 0 and result["clients_8"]["errors"] == 0,
        }
        checks.append((label, result["targets"]))

    report = {
        "machine": machine_info,
        "participants": PARTICIPANTS,
        "duration_per_run": DURATION,
        "gunicorn_workers": int(workers),
        "pages": results,
    }
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "benchmarks.json").write_text(json.dumps(report, indent=2) + "\n")
    write_markdown(report)
    print((ROOT / "docs" / "benchmarks.md").read_text())
    missed = [f"{label}: {name}" for label, targets in checks for name, ok in targets.items() if not ok]
    if missed:
        print("Targets missed:\n  " + "\n  ".join(missed))


def write_markdown(report: dict) -> None:
    m = report["machine"]
    lines = [
        "# Benchmarks",
        "",
        "Measured by `make bench` (scripts/bench.py): the app under gunicorn with production settings on",
        "PostgreSQL, driven over HTTP by wrk from a second process, logged in as a counsellor of a centre",
        f"with {report['participants'] // 20:,} of the {report['participants']:,} synthetic participants (20 centres).",
        f"Each figure is one {report['duration_per_run']} run after a warm-up; {report['gunicorn_workers']} gunicorn workers.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; PostgreSQL {m['postgresql']} on the same "
        f"machine; Python {m['python']}; {m['system']}.",
        "",
        "Targets: p95 under 50 ms with one client (a PDF under 1 s); at 8 clients at least 30 % of the",
        "throughput of the minimal view (/healthz); a constant number of queries on list pages; under",
        "150 KB transferred (compressed) on a first load.",
        "",
        "| page | queries | first load KB | p50 ms (1) | p95 ms (1) | req/s (1) | p50 ms (8) | p95 ms (8) | req/s (8) | share of ceiling | targets |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, r in report["pages"].items():
        one, eight = r["clients_1"], r["clients_8"]
        targets = r.get("targets")
        verdict = (
            "—"
            if targets is None
            else ("met" if all(targets.values()) else "missed: " + ", ".join(k for k, v in targets.items() if not v))
        )
        share = f"{r['share_of_ceiling']:.0%}" if "share_of_ceiling" in r else "100 %"
        lines.append(
            f"| {label} | {r['queries']} | {r['first_load_bytes'] / 1024:.0f} | {one['p50_ms']:.1f} | {one['p95_ms']:.1f} | "
            f"{one['rps']:.0f} | {eight['p50_ms']:.1f} | {eight['p95_ms']:.1f} | {eight['rps']:.0f} | {share} | {verdict} |"
        )
    lines += ["", "Raw figures: docs/benchmarks.json.", ""]
    (ROOT / "docs" / "benchmarks.md").write_text("\n".join(lines))


if __name__ == "__main__":
    main()
