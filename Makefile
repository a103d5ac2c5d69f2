# Two commands are all the set-up there is: `make run` and `make test`.
# Targets are thin wrappers over `python manage.py …` in a local virtualenv.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
# Development values for a local, plain-HTTP server (see .env.example for production).
# The secret key is read from var/secret_key by the settings themselves.
RUN_ENV := DJANGO_DEBUG=0 DJANGO_HTTPS=0

.PHONY: run test suite check install install-dev serve setup lint format messages clean

run: setup serve

test: check suite

# The test suite alone (CI runs it again for each database and engine).
suite: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

# Static checks: lint, the types (no caller uses an engine member the contract
# in search/engines/base.py does not declare) and the import contracts in
# .importlinter (archive never imports search; no import cycles).
check: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m mypy
	$(VENV)/bin/lint-imports

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# axe-core for the browser tests' accessibility checks, from the npm registry
# (npm verifies the package's integrity); without npm those checks are skipped.
AXE_VERSION := 4.14.1
$(VENV)/axe-core/axe.min.js: | $(PY)
	@mkdir -p $(VENV)/axe-core
	@cd $(VENV)/axe-core && { npm pack axe-core@$(AXE_VERSION) --silent >/dev/null 2>&1 \
	  && tar -xzf axe-core-$(AXE_VERSION).tgz package/axe.min.js \
	  && mv package/axe.min.js axe.min.js && rm -rf package axe-core-$(AXE_VERSION).tgz; } \
	  || echo "axe-core not fetched (npm unavailable): accessibility checks will be skipped"

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev $(VENV)/axe-core/axe.min.js

var/secret_key:
	mkdir -p var
	umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

# Safe to run on an existing archive: migrate, load the seeds only into an empty
# archive, collect static files, then build the index if it is missing, damaged or
# of another schema, else bring it up to date (only the drift is written).
setup: install var/secret_key
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py seed_archive
	$(RUN_ENV) $(PY) manage.py group_wire_copies --verbosity 0
	$(RUN_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(RUN_ENV) $(PY) manage.py check_index --repair
	$(RUN_ENV) $(PY) manage.py schedule_alerts

# gunicorn in the foreground, the background job worker beside it; stopping one
# (Ctrl-C) stops both. The worker resumes any job a previous run left unfinished.
serve: install var/secret_key
	@echo "Serving the archive on http://127.0.0.1:8000 (Ctrl-C to stop)"
	@$(RUN_ENV) $(PY) manage.py run_worker --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) $(VENV)/bin/gunicorn --config gunicorn.conf.py

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Needs GNU gettext (apt-get install gettext); the compiled .mo files are committed.
messages: install-dev
	DJANGO_DEBUG=1 $(PY) manage.py makemessages --locale ar --locale fr --locale en --ignore '.venv/*' --ignore 'var/*'
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) var
