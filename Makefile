# Two commands for a newcomer: `make run` and `make test`. Only Python 3.11 is needed.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
HOST   ?= 127.0.0.1
RUN_SETTINGS ?= lms.settings.dev
# `make run` shows the site's own 404/500 pages; `DEBUG=1 make run` shows Django's debug pages.
RUN_DEBUG := $(if $(DEBUG),$(DEBUG),0)

STATIC_SOURCES := $(shell find lms people courses quizzes h5p reports -path '*/static/*' -type f 2>/dev/null)

.PHONY: run reset-demo test lint format messages install install-dev clean-venv bench-roster h5p-player

run: export DJANGO_SETTINGS_MODULE = $(RUN_SETTINGS)
run: export DEBUG = $(RUN_DEBUG)
run: $(VENV)/.runtime $(VENV)/.collected ## Create the environment, migrate, load demo data, serve (Ctrl-C stops)
	@mkdir -p .make
	@exec $(PY) manage.py serve_demo --host $(HOST) --port $(PORT) --stamp .make/demo-seeded

reset-demo: ## Forget the demo data (SQLite file, uploads): the next `make run` loads it from scratch
	@rm -f .make/demo-seeded
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "DATABASE_URL is set: drop and recreate that database yourself, then run make run."; \
	else \
		rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm; \
		find media -mindepth 1 ! -name .gitkeep -delete 2>/dev/null || true; \
		echo "Demo data removed: make run loads it again."; \
	fi

test: $(VENV)/.dev ## Lint and run the whole test suite (DATABASE_URL picks the database)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(VENV)/.dev ## Extract translatable strings and compile the catalogues
	$(PY) manage.py makemessages -l id --no-obsolete -i ".venv/*" -i "node_modules/*" -i "static_collected/*" -i "bench/*" -i "tests/*"
	$(PY) manage.py makemessages -d djangojs -l id --no-obsolete -i ".venv/*" -i "node_modules/*" -i "static_collected/*"
	$(PY) manage.py compilemessages -i ".venv" -i "node_modules"

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

$(VENV)/.collected: $(VENV)/.runtime $(STATIC_SOURCES)
	DJANGO_SETTINGS_MODULE=$(RUN_SETTINGS) $(PY) manage.py collectstatic --noinput -v0
	touch $@

bench-roster: $(VENV)/.dev ## Time a 10,000-row roster import (see docs/performance.md)
	$(PY) bench/roster_import.py

clean-venv:
	rm -rf $(VENV)

h5p-player: ## Refresh the vendored H5P player (h5p-standalone) from npm
	h5p/vendor/refresh.sh
