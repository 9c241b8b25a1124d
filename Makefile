# ASN Portal. `make demo` runs the site with demo data on SQLite; `make test` runs every check on PostgreSQL.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
DEMO_ENV := DJANGO_ENV=development DATABASE_URL=sqlite:///db.sqlite3 REDIS_URL= CELERY_BROKER_URL=
# The suite runs on today and again on the first leap day of a later year (tests/clock.py reads ASN_TEST_TODAY);
# `ASN_TEST_TODAY=YYYY-MM-DD make test` runs it once, on that day.
LEAP_DAY := $(shell $(PYTHON) -c 'import calendar, datetime; y = datetime.date.today().year + 1; y += next(i for i in range(8) if calendar.isleap(y + i)); print(f"{y}-02-29")')

.PHONY: demo test install lint messages clean bench

$(STAMP): pyproject.toml
	@$(PYTHON) -m venv $(VENV) || { apt-get update -qq && apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(DEMO_ENV) $(BIN)/python manage.py compile_catalogues
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo
	$(DEMO_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	$(BIN)/lint-imports
	$(BIN)/bandit -q -c pyproject.toml -r asnportal workforce recruitment training performance feedback reports api benchmarks scripts --severity-level medium

test: $(STAMP) lint
	@command -v xgettext >/dev/null || { apt-get update -qq && apt-get install -y -qq gettext; }
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }
	$(BIN)/python manage.py compile_catalogues
	BENCHMARKS=1 $(BIN)/python scripts/with_services.py $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python scripts/with_services.py $(BIN)/pytest $(PYTEST_ARGS)
	@echo "== the read-replica router, on a throwaway primary and a streaming standby of it =="
	$(BIN)/python scripts/with_services.py --replica $(BIN)/pytest tests/replica
	@if [ -z "$$ASN_TEST_TODAY" ]; then \
	  echo "== the suite again, as if it were $(LEAP_DAY) =="; \
	  ASN_TEST_TODAY=$(LEAP_DAY) $(BIN)/python scripts/with_services.py $(BIN)/pytest $(PYTEST_ARGS); \
	fi

# The scale dataset and the benchmark (README "Performance") on the local PostgreSQL and Redis.
SCALE_ARGS ?= --employees 50000 --days 90
bench: $(STAMP)
	$(BIN)/python manage.py compile_catalogues
	DJANGO_ENV=development BENCHMARKS=1 $(BIN)/python scripts/with_services.py --create-db sh -c '\
	  $(BIN)/python manage.py migrate --noinput && \
	  $(BIN)/python manage.py seed_scale $(SCALE_ARGS) && \
	  $(BIN)/python manage.py benchmark $(BENCH_ARGS)'

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l id -l en --no-obsolete --ignore=.venv --ignore=staticfiles

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
