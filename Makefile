# Claim Tracker. `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
SECRET_FILE := .local/secret-key

.PHONY: run serve test browser-test bench soak format clean

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

$(SECRET_FILE):
	@mkdir -p .local
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $(SECRET_FILE)
	@chmod 600 $(SECRET_FILE)

# Local development: debug on, plain HTTP, a secret generated once for this checkout.
run: $(STAMP) $(SECRET_FILE)
	DJANGO_SECRET_KEY=$$(cat $(SECRET_FILE)) DJANGO_DEBUG=1 DJANGO_HTTPS=0 $(BIN)/python manage.py migrate --noinput
	DJANGO_SECRET_KEY=$$(cat $(SECRET_FILE)) DJANGO_DEBUG=1 DJANGO_HTTPS=0 $(BIN)/python manage.py demo
	@echo "Serving http://$(HOST):$(PORT)/"
	DJANGO_SECRET_KEY=$$(cat $(SECRET_FILE)) DJANGO_DEBUG=1 DJANGO_HTTPS=0 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production mode (debug off) under gunicorn. Plain HTTP only because it binds to loopback.
serve: $(STAMP) $(SECRET_FILE)
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat $(SECRET_FILE))} DJANGO_HTTPS=$${DJANGO_HTTPS:-0} $(BIN)/python manage.py migrate --noinput
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat $(SECRET_FILE))} $(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat $(SECRET_FILE))} DJANGO_HTTPS=$${DJANGO_HTTPS:-0} \
		$(BIN)/gunicorn tracker.wsgi --bind $(HOST):$(PORT) --workers $${WORKERS:-3} --access-logfile -

# The whole suite, after lint and format checks; then the browser tests when Debian's
# Chromium is installed (one line says so when it is not).
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SECRET_KEY=test-only-secret $(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_SECRET_KEY=test-only-secret DJANGO_HTTPS=0 $(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)
	@if [ -x /usr/bin/chromium ]; then $(MAKE) --no-print-directory browser-test; \
	else echo "browser tests skipped: /usr/bin/chromium is not installed (apt-get install chromium)"; fi

# Playwright driving the system Chromium (/usr/bin/chromium); no browser is downloaded.
# Screenshots go to test-artifacts/.
browser-test: $(STAMP)
	@test -x /usr/bin/chromium || { echo "browser-test needs /usr/bin/chromium (apt-get install chromium)"; exit 1; }
	DJANGO_SECRET_KEY=test-only-secret $(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_SECRET_KEY=test-only-secret DJANGO_HTTPS=0 DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/python -m pytest -m browser $(BROWSER_PYTEST_ARGS)

# Speed measurements, written to benchmarks/results.md, results.json and suite.json. Needs the
# PostgreSQL server at 127.0.0.1:5432 and wrk (apt-get install wrk); takes about 15 minutes.
bench: $(STAMP)
	$(BIN)/python benchmarks/extraction.py
	DJANGO_SECRET_KEY=benchmark-only $(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python benchmarks/suite.py $(BENCH_ARGS)

# 50 readers (wrk) and 5 reviewers (the API) at once against gunicorn on PostgreSQL for 60 s,
# written to benchmarks/soak.md and soak.json (SOAK_ARGS="--seconds 10" for a quick trial);
# then the fuzz-marked property tests at hypothesis's "soak" profile (20,000 examples each
# instead of make test's 1,000; about half an hour).
soak: $(STAMP)
	DJANGO_SECRET_KEY=benchmark-only $(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python benchmarks/soak.py $(SOAK_ARGS)
	DJANGO_SECRET_KEY=test-only-secret DJANGO_HTTPS=0 HYPOTHESIS_PROFILE=soak $(BIN)/python -m pytest -m fuzz -q

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
