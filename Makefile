# make run   - install, migrate, load the demo, collect static files, then serve the portal
#              on http://127.0.0.1:8000 with a Celery worker and beat beside it (Ctrl-C stops all).
# make test  - install the test tools (and Debian's Chromium if missing), check migrations,
#              lint, check the layers (import-linter), and run the whole pytest suite.
# Needs only Python 3.11 (with its venv module) and make. Installs are remembered in stamp
# files under .venv/, so a second run installs nothing unless a requirements file changed.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
PIP_INSTALL := $(PY) -m pip install --disable-pip-version-check --quiet
PYTEST_ARGS ?=
ifeq ($(CI),true)
# A fresh test database on CI, so that a reused one can never hide a migration.
PYTEST_ARGS += --create-db
endif
CHROMIUM ?= /usr/bin/chromium
BROKER_DIRS := var/celery/out var/celery/processed var/celery/control

.PHONY: run test install install-dev migrate demo static chromium chromium-if-possible lint worker-ping clean-var help

help:
	@sed -n 's/^# \{0,1\}//p' Makefile | sed -n 1,6p

$(PY):
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python 3.11 (with venv) first." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.stamp-run: requirements.txt | $(PY)
	$(PIP_INSTALL) -r requirements.txt
	touch $@

$(VENV)/.stamp-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $@ $(VENV)/.stamp-run

install: $(VENV)/.stamp-run
install-dev: $(VENV)/.stamp-dev

$(BROKER_DIRS) var/media var/log:
	mkdir -p $@

migrate: install | var/media
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

demo: migrate
	$(PY) manage.py load_demo

static: install
	$(PY) manage.py collectstatic --noinput --verbosity 0

# The worker prints board reports to PDF in Chromium; without it they are kept as HTML only.
run: chromium-if-possible demo static | $(BROKER_DIRS) var/log
	HOST=$(HOST) PORT=$(PORT) BIN=$(BIN) bash scripts/run.sh

# With `make run` going in another terminal: a job goes through the broker to the worker,
# whose answer comes back through the database.
worker-ping: install
	$(PY) -c "import config, django; django.setup(); from config.celery import ping; \
		print('worker answered:', ping.delay('pong').get(timeout=30))"

chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		echo "Installing Debian's Chromium (browser tests, board report PDFs)"; \
		$$SUDO apt-get update && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
			chromium chromium-driver fonts-liberation; \
	fi

chromium-if-possible:
	@$(MAKE) --no-print-directory chromium || echo "Chromium could not be installed: board reports will be kept as HTML, without a PDF."

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: install-dev chromium | $(BROKER_DIRS)
	$(PY) manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/pytest $(PYTEST_ARGS)

clean-var:
	rm -rf var/celery var/staticfiles var/test_db.sqlite3
