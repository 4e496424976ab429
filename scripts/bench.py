"""MIRA's benchmark: `make bench` (separate from the tests; timings never go into tests).

On PostgreSQL (DATABASE_URL), with synthetic data (BENCH_PARTICIPANTS, default 100,000, generated
once per database), the app runs under gunicorn with production settings and wrk drives it over HTTP
from a second process, logged in as the staff of "Synthetic centre 01" (counsellor, coordinator,
data protection officer) and as a partner coach. For every key page: p50 and p95 latency and
requests per second at 1 and 8 concurrent clients, the SQL query count, the bytes transferred on a
first load (compressed HTML plus its CSS, JS and fonts), and the same latency figures for the minimal
view /healthz measured in the same run as the ceiling. Results: docs/benchmarks.json and the table in
docs/benchmarks.md (between its bench markers; the text around them is kept). Targets are checked
and reported, never asserted in tests.

Environment: BENCH_PARTICIPANTS, BENCH_DURATION (per run, default 10s), BENCH_PAGES (comma-separated
labels or parts of labels to measure only those), BENCH_NO_WRITE=1 (print, do not write the docs),
BENCH_TEMPLATES=empty (an experiment, printed only: the pages' templates render nothing, see
scripts/bench_empty_templates.py).
"""

import contextlib
import ctypes.util
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
WARM_UP = "2s"
PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", "100000"))
ONLY = [part.strip().lower() for part in os.environ.get("BENCH_PAGES", "").split(",") if part.strip()]
# The experiment of scripts/bench_empty_templates.py: what the pages would serve if their templates cost nothing.
EMPTY_TEMPLATES = os.environ.get("BENCH_TEMPLATES") == "empty"
TARGET_P95_MS = 50.0
TARGET_SHARE_OF_CEILING = 0.30
TARGET_PAGE_BYTES = 150 * 1024
TARGET_PDF_MS = 1000.0
# Runs of the background job that makes the data-subject export PDF (timed in the process).
JOB_RUNS = 5
EXPORT_JOB = "data-subject export PDF (background job, longest case)"
# Sessions per role: the clients take turns, as different people would (each request saves its session).
SESSIONS_PER_ROLE = 8
CENTRE = "Synthetic centre 01"
MARK_START = "<!-- bench:start -->"
MARK_END = "<!-- bench:end -->"

SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "mira.settings",
    "MIRA_DEBUG": "0",
    "MIRA_SECRET_KEY": "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "MIRA_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "MIRA_SSL_REDIRECT": "0",
    "MIRA_REQUIRE_SECOND_FACTOR": "0",
    "MIRA_LOG_LEVEL": "WARNING",
}

LUA = """
local cookies = {COOKIES}
local counter = 0
local threads = 0
setup = function(thread)
  thread:set("offset", threads * 4)
  threads = threads + 1
end
request = function()
  counter = counter + 1
  wrk.headers["Cookie"] = cookies[((counter + (offset or 0)) % #cookies) + 1]
  return wrk.format(nil)
end
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
               + summary.errors.write + summary.errors.timeout
  io.write(string.format('BENCH {"requests": %d, "seconds": %f, "p50_ms": %f, "p95_ms": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000, errors))
end
"""


# What the benchmark needs from Debian: wrk, and the HarfBuzz subsetter, which production has
# (README, "Running in production"): without it WeasyPrint subsets the PDF fonts with fontTools,
# three times slower (a roadmap PDF 800 instead of 260 ms).
SYSTEM_PACKAGES = {
    "wrk": lambda: shutil.which("wrk"),
    "libharfbuzz-subset0": lambda: ctypes.util.find_library("harfbuzz-subset"),
}


def ensure_system_packages() -> str:
    """Installs what is missing of SYSTEM_PACKAGES; returns the path of wrk."""
    missing = [package for package, present in SYSTEM_PACKAGES.items() if not present()]
    if missing:
        print(f"Installing {', '.join(missing)} (Debian packages) for the benchmark ...")
        prefix = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True)
        subprocess.run(
            [*prefix, "apt-get", "install", "-y", "-qq", *missing],
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
    from mira.core.synthetic import SYNTHETIC_CENTRE_PREFIX

    call_command("migrate", verbosity=0)
    if not Centre.objects.filter(name__startswith=SYNTHETIC_CENTRE_PREFIX).exists():
        print(f"Generating {PARTICIPANTS} synthetic participants (once per database) ...")
        call_command("generate_synthetic_data", participants=PARTICIPANTS, yes=True)
    call_command("collectstatic", verbosity=0, interactive=False)


def bench_users() -> dict:
    """The users the pages are opened as: staff of centre 01, and the coach of the partner
    organisation with the most roadmaps shared with it."""
    from django.db.models import Count, Q
    from django_scopes import scopes_disabled

    from mira.accounts.models import Role, User
    from mira.network.models import Organisation

    with scopes_disabled():
        users = {
            role: User.objects.filter(role=role, centre__name=CENTRE).order_by("pk").first()
            for role in (Role.COUNSELLOR, Role.COORDINATOR, Role.DATA_PROTECTION)
        }
        busiest = (
            Organisation.objects.filter(coaches__isnull=False)
            .annotate(shares=Count("roadmap_shares", filter=Q(roadmap_shares__revoked_at__isnull=True)))
            .order_by("-shares", "pk")
            .first()
        )
        users[Role.PARTNER] = User.objects.filter(partner_organisation=busiest).order_by("pk").first()
    return users


@contextlib.contextmanager
def leaving_no_trace():
    """Deletes, when the block ends, what it added to the database, so that each run measures the
    same data: the read-access entries of the pages it opens (some thousand a benchmark run, and
    "access log, one case" lists them), the login log, the calendar feed's secret address and the
    sessions it logs in with. The export the benchmark times replaces the one before
    (export_job_times). For the benchmark's own database only: it deletes every session started
    meanwhile (sessions have no growing key; those there before are kept)."""
    from axes.models import AccessLog as LoginLog
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.db.models import Max

    from mira.counselling.models import CalendarFeedToken
    from mira.privacy.models import AccessLog

    last = {
        model: model._base_manager.aggregate(last=Max("pk"))["last"] or 0
        for model in (AccessLog, LoginLog, CalendarFeedToken)
    }
    sessions = set(Session.objects.values_list("session_key", flat=True))
    try:
        yield
    finally:
        removed = {}
        with transaction.atomic():
            for model, last_pk in last.items():
                removed[model._meta.db_table] = model._base_manager.filter(pk__gt=last_pk).delete()[0]
            added = set(Session.objects.values_list("session_key", flat=True)) - sessions
            removed["django_session"] = Session.objects.filter(session_key__in=added).delete()[0]
        print("Removed what the run added: " + ", ".join(f"{n} {table}" for table, n in removed.items()))


def in_process(work) -> None:
    """Runs `work` in this process against the benchmark's database, as `make profile` and
    `make sweep` do: Django set up, the database prepared as for the benchmark, and what the run
    added removed afterwards."""
    setup_django()
    prepare_database()
    with leaving_no_trace():
        work()


def bench_sessions(user, count: int) -> list[str]:
    """Logged-in sessions of the user, created directly in the session store (as a login would)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    keys = []
    for _ in range(count):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "mira.accounts.backends.PasswordBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.set_expiry(24 * 3600)
        session.create()
        keys.append(session.session_key)
    return keys


def _data_subject_request(officer, participant):
    """A request for access to the participant's data, recorded once per database."""
    from django.utils import timezone

    from mira.privacy.models import DataSubjectRequest, RequestKind
    from mira.privacy.services import data_subject_request_record

    existing = DataSubjectRequest.objects.filter(participant=participant, kind=RequestKind.ACCESS).first()
    return existing or data_subject_request_record(
        centre=officer.centre,
        case_number=participant.case_number,
        kind=RequestKind.ACCESS,
        received_on=timezone.localdate(),
        actor=officer,
    )


def _longest_case(counsellor):
    """The counsellor's case with the longest timeline (with its events_count); call unscoped."""
    from django.db.models import Count

    from mira.participants.models import Participant

    return (
        Participant.objects.filter(assigned_counsellor=counsellor)
        .annotate(events_count=Count("events"))
        .order_by("-events_count", "pk")
        .first()
    )


def _calendar_feed_secret(user) -> str:
    """A new secret address of the user's calendar feed (an earlier one stops working)."""
    from mira.counselling.services import calendar_feed_token_create

    _token, secret = calendar_feed_token_create(user=user)
    return secret


def pages_for(users: dict) -> dict[str, tuple[str, str, str]]:
    """The key pages with real objects of centre 01: label -> (path, role, kind)
    where kind is "page", "part" (of a page, loaded by it with htmx), "pdf" or "file" (the weight
    target applies to pages only; the latency and throughput targets to pages and their parts)."""
    from urllib.parse import urlencode

    from django.core import signing
    from django.db.models import Count
    from django.urls import reverse
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from mira.participants.models import Participant
    from mira.participants.views import MORE_SALT
    from mira.privacy.models import AccessLog
    from mira.roadmap.models import RoadmapShare, VersionState

    counsellor = users["counsellor"]
    with scopes_disabled():
        mine = Participant.objects.filter(assigned_counsellor=counsellor)
        # The case page with the longest timeline of the counsellor's cases; the roadmap of an open case.
        long_case = _longest_case(counsellor)
        roadmap_case = (
            mine.filter(stage__in=["goals_agreed", "roadmap_shared"], roadmap__versions__state=VersionState.AGREED)
            .order_by("-opened_on", "pk")
            .first()
        ) or long_case
        # The newest creation of a case file in the measured centre: the longest entry of the change history.
        created = (
            Participant.history.filter(centre_id=counsellor.centre_id, history_type="+")
            .order_by("-history_date", "-history_id")
            .values_list("history_id", flat=True)
            .first()
        )
        share = (
            RoadmapShare.objects.filter(organisation=users["partner"].partner_organisation, revoked_at__isnull=True)
            .exclude(version__roadmap__participant__stage__in=["closed", "withdrawn"])
            .order_by("-shared_at", "pk")
            .first()
        )
        data_subject_request = _data_subject_request(users["data_protection"], long_case)
        # The read-access log of one case: of the cases the benchmark never opens, the one read most
        # often. Every run of the benchmark adds about a thousand reads of the case it opens (8,198
        # after eight runs), which no real case comes near.
        most_read = (
            AccessLog.objects.filter(participant__assigned_counsellor=counsellor)
            .exclude(participant_id__in=[long_case.pk, roadmap_case.pk])
            .values("participant_id")
            .annotate(reads=Count("pk"))
            .order_by("-reads", "participant_id")
            .first()
        )
        read_case = Participant.objects.get(pk=most_read["participant_id"]) if most_read else long_case
    feed_secret = _calendar_feed_secret(counsellor)
    year = timezone.localdate().year
    pages = [
        ("health (ceiling)", "health", {}, {}, "counsellor", "page"),
        ("start page (my day)", "core:home", {}, {}, "counsellor", "page"),
        ("case list", "participants:list", {}, {}, "counsellor", "page"),
        ("case list, search by surname", "participants:list", {}, {"q": long_case.last_name}, "counsellor", "page"),
        ("case list, search other spelling", "participants:list", {}, {"q": "Muhammad"}, "counsellor", "page"),
        ("case list, search original script", "participants:list", {}, {"q": "محمد"}, "counsellor", "page"),
        ("case list, all cases by name", "participants:list", {}, {"status": "all", "sort": "name"}, "counsellor",
         "page"),
        ("case page (long timeline)", "participants:detail", {"pk": long_case.pk}, {}, "counsellor", "page"),
        # Its lower cards, which the page loads right after it with htmx (with the page's token, as the browser).
        ("case page, lower cards (htmx)", "participants:detail_more", {"pk": long_case.pk},
         {"t": signing.dumps([counsellor.pk, long_case.pk], salt=MORE_SALT, compress=True)}, "counsellor", "part"),
        ("sessions of the case", "counselling:session_list", {"participant_pk": long_case.pk}, {}, "counsellor",
         "page"),
        ("calendar week", "counselling:calendar", {}, {}, "counsellor", "page"),
        ("my tasks", "accompaniment:my_tasks", {}, {}, "counsellor", "page"),
        ("tasks of the centre", "accompaniment:task_list", {}, {}, "coordinator", "page"),
        # What the coordinator looks back on: the done tasks, which outnumber the pending ones ten to one.
        ("tasks of the centre, done", "accompaniment:task_list", {}, {"status": "done"}, "coordinator", "page"),
        ("goals due", "roadmap:goals_due", {}, {}, "counsellor", "page"),
        ("roadmap editor", "roadmap:detail", {"participant_pk": roadmap_case.pk}, {}, "counsellor", "page"),
        ("roadmap PDF", "roadmap:pdf", {"participant_pk": roadmap_case.pk}, {}, "counsellor", "pdf"),
        ("aid requests", "aid:request_list", {}, {}, "coordinator", "page"),
        ("aid approvals", "aid:approval_queue", {}, {}, "coordinator", "page"),
        ("aid budgets", "aid:budgets", {}, {}, "coordinator", "page"),
        ("aid export (XLSX, a year)", "aid:export", {},
         {"date_from": f"{year - 1}-01-01", "date_to": f"{year - 1}-12-31"}, "coordinator", "file"),
        ("network directory", "network:organisation_list", {}, {}, "counsellor", "page"),
        ("network offers", "network:offer_list", {}, {}, "counsellor", "page"),
        ("referrals", "network:referral_list", {}, {}, "counsellor", "page"),
        ("audit (change history)", "privacy:audit", {}, {}, "data_protection", "page"),
        # What the data protection officer asks most: everything that happened to one case, and
        # everything one colleague changed.
        ("audit, one case", "privacy:audit", {}, {"case_number": long_case.case_number}, "data_protection", "page"),
        ("audit, one author", "privacy:audit", {}, {"user": counsellor.pk}, "data_protection", "page"),
        ("audit entry, all fields (htmx)", "privacy:audit_entry", {"source": "participant", "history_id": created},
         {}, "data_protection", "part"),
        ("access log", "privacy:access_log", {}, {}, "data_protection", "page"),
        ("access log, one case", "privacy:access_log", {}, {"case_number": read_case.case_number},
         "data_protection", "page"),
        # The data protection officer's request page of the longest case, and the list of its export
        # PDFs, which the page reloads every two seconds while the worker makes one (the PDF itself
        # is measured as a background job: export_job_times).
        ("data-subject request", "privacy:request_detail", {"pk": data_subject_request.pk}, {},
         "data_protection", "page"),
        ("data-subject export PDFs (htmx, polled)", "privacy:request_exports", {"pk": data_subject_request.pk}, {},
         "data_protection", "part"),
        ("network directory export (XLSX)", "network:export", {}, {}, "counsellor", "file"),
        # What a calendar program fetches every few minutes (the secret in the address is the key).
        ("calendar feed (ICS)", "counselling:ical_feed", {"token": feed_secret}, {}, "counsellor", "file"),
        ("portal home (partner)", "portal:home", {}, {}, "partner", "page"),
    ]  # fmt: skip
    if share is not None:
        pages.append(("portal roadmap (partner)", "portal:roadmap", {"share_pk": share.pk}, {}, "partner", "page"))
    chosen = {}
    for label, name, kwargs, query, role, kind in pages:
        if ONLY and not label.startswith("health") and not any(part in label.lower() for part in ONLY):
            continue
        chosen[label] = (reverse(name, kwargs=kwargs) + (f"?{urlencode(query)}" if query else ""), role, kind)
    return chosen


def export_job_times(users: dict, runs: int = JOB_RUNS) -> dict:
    """The background job that makes the data-subject export PDF of the longest case (the worker's
    code, mira.privacy.services.data_subject_export_make), timed in this process: seconds per run,
    the PDF's size and pages. One made export stays, ready for download, as the request page shows it."""
    import io

    from django_scopes import scopes_disabled
    from pypdf import PdfReader

    from mira.privacy.models import DataSubjectExport
    from mira.privacy.services import data_subject_export_make

    officer = users["data_protection"]
    with scopes_disabled():
        long_case = _longest_case(users["counsellor"])
        request = _data_subject_request(officer, long_case)
        DataSubjectExport._base_manager.filter(request=request).delete()
        seconds = []
        for _ in range(runs):
            export = DataSubjectExport._base_manager.create(
                centre_id=request.centre_id, request=request, language="de", requested_by=officer
            )
            started = time.perf_counter()
            export = data_subject_export_make(export=export)
            seconds.append(time.perf_counter() - started)
        content = bytes(DataSubjectExport._base_manager.get(pk=export.pk).content)
        DataSubjectExport._base_manager.filter(request=request).exclude(pk=export.pk).delete()
    seconds.sort()
    return {
        "label": EXPORT_JOB,
        "case_events": long_case.events_count,
        "runs": runs,
        "median_s": round(seconds[len(seconds) // 2], 3),
        "max_s": round(seconds[-1], 3),
        "bytes": len(content),
        "pages": len(PdfReader(io.BytesIO(content)).pages),
    }


def query_counts(users: dict, pages: dict) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = {}
    for role, user in users.items():
        clients[role] = Client(SERVER_NAME="127.0.0.1")
        clients[role].force_login(user)
    counts = {}
    for label, (path, role, _kind) in pages.items():
        client = clients[role]
        client.get(path)  # warm caches as the server would be warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        counts[label] = len(queries) if response.status_code < 400 else -response.status_code
    return counts


def fetch(url: str, cookie: str) -> tuple[bytes, int, str]:
    """The body, the bytes on the wire (gzip, as a compressing proxy would send HTML) and the content type."""
    request = urllib.request.Request(url, headers={"Cookie": cookie, "Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:  # noqa: S310 (loopback only)
        body = response.read()
        content_type = response.headers.get("Content-Type", "")
        if response.headers.get("Content-Encoding") == "gzip":
            return gzip.decompress(body), len(body), content_type
        return body, len(gzip.compress(body)), content_type


def first_load_bytes(base: str, path: str, cookie: str) -> int:
    """Compressed size of the page and the static assets it references (a first load, empty cache)."""
    html, total, _type = fetch(base + path, cookie)
    assets = set(re.findall(rb'(?:href|src)="(/static/[^"]+)"', html))
    for asset in assets:
        body, size, _type = fetch(base + asset.decode(), cookie)
        total += size
        if asset.endswith(b".css"):
            for font in set(re.findall(rb'url\("?([^")]+\.woff2)[^")]*"?\)', body)):
                font_url = base + str(Path(asset.decode()).parent / font.decode())
                total += fetch(font_url, cookie)[1]
    return total


def run_wrk(wrk: str, url: str, connections: int, lua_path: str, duration: str = DURATION) -> dict:
    output = subprocess.run(
        [wrk, "-t", "1" if connections == 1 else "2", "-c", str(connections), "-d", duration, "--timeout", "10s",
         "-s", lua_path, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout  # fmt: skip
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
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    try:
        shared = "libpython" in Path("/proc/self/maps").read_text()
    except OSError:
        shared = False
    interpreter = f"{platform.python_version()} ({sys.base_prefix}, {'shared' if shared else 'static'} libpython)"
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(memory, 1), "python": interpreter,
            "postgresql": postgres, "shared_buffers": shared_buffers, "database_size": size,
            "system": platform.platform()}  # fmt: skip


def data_volume() -> dict:
    """Row counts of the largest tables (estimates from the statistics, exact enough here)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_live_tup FROM pg_stat_user_tables WHERE n_live_tup > 0 ORDER BY n_live_tup DESC LIMIT 15"
        )
        return dict(cursor.fetchall())


def measure(wrk: str) -> dict:
    """Runs the pages under gunicorn with wrk, and the background job in the process: the report
    without the targets."""
    from django.db import connection

    users = bench_users()
    cookies = {
        role: [f"sessionid={key}" for key in bench_sessions(user, SESSIONS_PER_ROLE)] for role, user in users.items()
    }
    jobs = [export_job_times(users)] if not ONLY or any(part in EXPORT_JOB.lower() for part in ONLY) else []
    pages = pages_for(users)
    counts = query_counts(users, pages)
    machine_info = machine()
    volume = data_volume()
    connection.close()  # the server's workers open their own

    port = free_port()
    workers = os.environ.get("BENCH_WORKERS") or str(max(2, os.cpu_count() or 2))
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "mira.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", workers,
         "--log-level", "warning",
         *(["--config", str(ROOT / "scripts" / "bench_empty_templates.py")] if EMPTY_TEMPLATES else [])],
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV},
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    results = {}
    load_before = os.getloadavg()
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz")  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        scripts = {}
        for role, role_cookies in cookies.items():
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
                lua.write(LUA.replace("{COOKIES}", "{" + ", ".join(json.dumps(c) for c in role_cookies) + "}"))
            scripts[role] = lua.name
        for label, (path, role, kind) in pages.items():
            print(f"  {label} ...", flush=True)
            if counts[label] < 0:
                print(f"    skipped: the page answers HTTP {-counts[label]}")
                continue
            run_wrk(wrk, base + path, 1, scripts[role], duration=WARM_UP)  # discarded
            body, _size, content_type = fetch(base + path, cookies[role][0])
            results[label] = {
                "path": path,
                "as": role,
                "kind": kind,
                "content_type": content_type.split(";")[0],
                "response_bytes": len(body),
                "queries": counts[label],
                "first_load_bytes": first_load_bytes(base, path, cookies[role][0]) if kind == "page" else None,
                "clients_1": run_wrk(wrk, base + path, 1, scripts[role]),
                "clients_8": run_wrk(wrk, base + path, 8, scripts[role]),
            }
            eight = results[label]["clients_8"]
            print(
                f"    p95 {results[label]['clients_1']['p95_ms']:.1f} ms, "
                + (f"{eight['rps']:.0f} req/s at 8 clients, " if eight else "")
                + f"{counts[label]} queries",
                flush=True,
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    load_after = os.getloadavg()
    return {
        "measured_at": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": machine_info,
        "load_average": {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in load_after]},
        "participants": PARTICIPANTS,
        "rows": volume,
        "duration_per_run": DURATION,
        "gunicorn_workers": int(workers),
        "pages": results,
        "background_jobs": jobs,
    }


def main():
    setup_django()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("The benchmark runs on PostgreSQL: set DATABASE_URL (make bench does).")
    wrk = ensure_system_packages()
    prepare_database()
    with leaving_no_trace():
        report = measure(wrk)
    results = report["pages"]

    ceiling = results["health (ceiling)"]["clients_8"]["rps"]
    for label, result in results.items():
        if label.startswith("health"):
            continue
        page = result["kind"] == "page"
        interactive = result["kind"] in ("page", "part")
        # A PDF or a spreadsheet is a document being made, not a page: it gets the PDF's second.
        limit = TARGET_PDF_MS if result["kind"] in ("pdf", "file") else TARGET_P95_MS
        runs = [run for run in (result["clients_1"], result["clients_8"]) if run]
        if result["clients_8"]:
            result["share_of_ceiling"] = result["clients_8"]["rps"] / ceiling if ceiling else 0
        result["targets"] = {
            "p95_1_client": result["clients_1"]["p95_ms"] <= limit,
            "throughput_8_clients": not interactive or result["share_of_ceiling"] >= TARGET_SHARE_OF_CEILING,
            "first_load_bytes": not page or result["first_load_bytes"] <= TARGET_PAGE_BYTES,
            "no_errors": all(run["errors"] == 0 for run in runs),
        }

    table = markdown_table(report)
    print(table)
    missed = [f"{label}: {name}" for label, r in results.items() for name, ok in r.get("targets", {}).items() if not ok]
    if missed:
        print("Targets missed:\n  " + "\n  ".join(missed))
    if EMPTY_TEMPLATES:
        print("BENCH_TEMPLATES=empty: the templates rendered nothing (an experiment); the docs are not written.")
    elif os.environ.get("BENCH_NO_WRITE") != "1":
        (ROOT / "docs").mkdir(exist_ok=True)
        (ROOT / "docs" / "benchmarks.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        write_markdown(table)


def markdown_table(report: dict) -> str:
    m = report["machine"]
    load = report["load_average"]
    lines = [
        MARK_START,
        f"Measured {report['measured_at']} by `make bench` (scripts/bench.py) with {report['participants']:,} synthetic",
        f"participants in 20 centres ({report['participants'] // 20:,} in the centre measured), database "
        f"{m['database_size']}; each figure is one {report['duration_per_run']} wrk run after a warm-up, "
        f"{report['gunicorn_workers']} gunicorn workers.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; PostgreSQL {m['postgresql']} on the same "
        f"machine (shared_buffers {m['shared_buffers']}); Python {m['python']}; {m['system']}. Load average "
        f"(1, 5, 15 min) before the run {', '.join(map(str, load['before']))}, after "
        f"{', '.join(map(str, load['after']))}.",
        "",
        "| page | as | queries | first load KB | p50 ms (1) | p95 ms (1) | req/s (1) | p50 ms (8) | p95 ms (8) "
        "| req/s (8) | 8 vs 1 | share of ceiling | targets |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for label, r in report["pages"].items():
        one, eight = r["clients_1"], r["clients_8"]
        targets = r.get("targets")
        verdict = (
            "—"
            if targets is None
            else ("met" if all(targets.values()) else "missed: " + ", ".join(k for k, v in targets.items() if not v))
        )
        weight = f"{r['first_load_bytes'] / 1024:.0f}" if r["first_load_bytes"] is not None else "—"
        if eight:
            share = f"{r['share_of_ceiling']:.0%}" if "share_of_ceiling" in r else "100 %"
            # How the page scales from one client to eight on the machine's cores (no contention:
            # about what the minimal view reaches).
            scaling = f"{eight['rps'] / one['rps']:.2f}×" if one["rps"] else "—"
            at_eight = f"{eight['p50_ms']:.1f} | {eight['p95_ms']:.1f} | {eight['rps']:.0f} | {scaling} | {share}"
        else:
            at_eight = "— | — | — | — | —"
        lines.append(
            f"| {label} | {r['as']} | {r['queries']} | {weight} | {one['p50_ms']:.1f} | {one['p95_ms']:.1f} | "
            f"{one['rps']:.0f} | {at_eight} | {verdict} |"
        )
    for job in report.get("background_jobs", []):
        lines += [
            "",
            f"Background job, timed in the process ({job['runs']} runs): {job['label']} ({job['case_events']} "
            f"timeline entries), median {job['median_s']:.2f} s, slowest {job['max_s']:.2f} s, {job['pages']} "
            f"pages, {job['bytes'] / 1024:.0f} KB. The worker makes it; no web request waits for it.",
        ]
    lines += ["", "Raw figures, with the row counts of the largest tables: docs/benchmarks.json.", MARK_END]
    return "\n".join(lines)


def write_markdown(table: str) -> None:
    """Replaces the generated part of docs/benchmarks.md; the text around the markers stays."""
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text() if path.exists() else f"# Benchmarks\n\n{MARK_START}\n{MARK_END}\n"
    if MARK_START not in text or MARK_END not in text:
        text = text.rstrip() + f"\n\n{MARK_START}\n{MARK_END}\n"
    before, rest = text.split(MARK_START, 1)
    _old, after = rest.split(MARK_END, 1)
    path.write_text(before + table + after)


if __name__ == "__main__":
    main()
