# Two commands for a newcomer: `make run` and `make test`. Only Python 3.11 is needed.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
HOST   ?= 127.0.0.1
RUN_SETTINGS ?= lms.settings.dev

STATIC_SOURCES := $(shell find lms people courses quizzes h5p reports -path '*/static/*' -type f 2>/dev/null)

.PHONY: run test lint format messages install install-dev clean-venv bench-roster h5p-player

run: export DJANGO_SETTINGS_MODULE = $(RUN_SETTINGS)
run: $(VENV)/.runtime $(VENV)/.collected ## Create the environment, migrate, load demo data, serve
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py seed_demo
	@$(PY) manage.py demo_info --url http://$(HOST):$(PORT)/
	@$(PY) manage.py run_periodic --parent-pid $$$$ & \
	exec $(VENV)/bin/gunicorn lms.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 \
		--env DJANGO_SETTINGS_MODULE=$(RUN_SETTINGS) --access-logfile - --log-level warning

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
