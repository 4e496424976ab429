# MIRA: `make run` for the demo quickstart, `make test` for the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format install messages compilemessages worker check-deploy audit bench profile sweep clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

compilemessages: $(STAMP)
	./scripts/ensure-gettext
	MIRA_DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=static >/dev/null

messages: $(STAMP)
	./scripts/makemessages

# The quickstart: SQLite, demo data, development server, second factor skipped for demo accounts.
# The background-job worker runs beside the server (export PDFs, deletion runs "run now") and stops with it.
run: export MIRA_DEBUG = 1
run: export MIRA_DEMO = 1
run: export MIRA_REQUIRE_SECOND_FACTOR = 0
run: $(STAMP) compilemessages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data
	@$(BIN)/python manage.py db_worker --no-reload --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Background jobs (reminders, deletion runs, exports) are run by this worker.
worker: $(STAMP)
	$(BIN)/python manage.py db_worker

# Lint, translations, deployment check, then the whole suite (unit and browser) on PostgreSQL.
test: $(STAMP) compilemessages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	./scripts/check-translations
	$(BIN)/python scripts/subset_icons.py --check
	$(BIN)/python scripts/readme.py --check
	$(MAKE) --no-print-directory check-deploy
	./scripts/ensure-chromium
	./scripts/with-postgres $(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

check-deploy: $(STAMP)
	MIRA_SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-value-for-the-check-only MIRA_ALLOWED_HOSTS=mira.example.org \
	DJANGO_SETTINGS_MODULE=mira.settings $(BIN)/python manage.py check --deploy --fail-level WARNING

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) $(BENCH_VENV) staticfiles var db.sqlite3

# Vulnerability check of the pinned dependencies (needs access to the vulnerability databases).
audit: $(STAMP)
	./scripts/audit

# The benchmark (not part of the tests): PostgreSQL, gunicorn, wrk; see docs/benchmarks.md.
# It runs the app on the interpreter a Debian server runs it on, /usr/bin/python3.11 where there is
# one (built with PGO and a static libpython; a plain source build with a shared libpython, as pyenv
# makes by default, runs MIRA's pages 15-20 % slower), in a virtualenv of its own.
BENCH_PYTHON ?= $(shell [ -x /usr/bin/python3.11 ] && echo /usr/bin/python3.11 || echo $(PYTHON))
BENCH_VENV := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed

$(BENCH_STAMP): requirements.lock
	$(BENCH_PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet --require-hashes -r requirements.lock
	touch $(BENCH_STAMP)

bench: $(STAMP) compilemessages $(BENCH_STAMP)
	./scripts/with-postgres $(BENCH_VENV)/bin/python scripts/bench.py

# Where the benchmark's pages spend their time (SQL, templates, the rest), measured in the process.
profile: $(STAMP) compilemessages $(BENCH_STAMP)
	./scripts/with-postgres $(BENCH_VENV)/bin/python scripts/profile_pages.py

# The benchmark's pages with each of their filters, sort orders and typed searches, measured in the process.
sweep: $(STAMP) compilemessages $(BENCH_STAMP)
	./scripts/with-postgres $(BENCH_VENV)/bin/python scripts/sweep_filters.py
