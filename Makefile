# 伊宁市政府质量奖评定管理系统 — two commands on a fresh machine: `make run`, `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
STAMP := $(VENV)/.installed
export FAB_UPDATE_PERMS ?= False
# pytest-xdist workers (`auto`: one per CPU) and the 20 slowest tests printed at the end
PYTEST_WORKERS ?= auto
PYTEST_ARGS ?= -n $(PYTEST_WORKERS) --dist worksteal --durations=20


.PHONY: translations run test test-sqlite test-postgres lint format bench chaos clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

translations: $(STAMP)
	$(VENV)/bin/pybabel compile --statistics -d app/translations

## make run: install, upgrade the database, load demo data when empty, serve on :5000
run: $(STAMP) translations
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) award sync-roles
	$(FLASK) award seed-demo --if-empty
	$(FLASK) run --host 127.0.0.1 --port 5000

## make test: lint, the suite on SQLite, and again on PostgreSQL when a server answers (every
## test that uses a database except the browser tests, which drive the page, not the database)
test: $(STAMP) lint test-sqlite test-postgres

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test-sqlite: $(STAMP) translations
	$(PY) -m pytest -q --db=sqlite $(PYTEST_ARGS)

test-postgres: $(STAMP) translations
	@if url=$$($(PY) tests/pg_probe.py); then \
		echo "== PostgreSQL half: $$url"; \
		TEST_DATABASE_URL=$$url $(PY) -m pytest -q --db=postgres -m "db and not browser" $(PYTEST_ARGS) \
			&& echo "POSTGRES-HALF: ran" > .postgres-half; \
	else \
		echo "== PostgreSQL half SKIPPED: no server answers at $${TEST_DATABASE_URL:-127.0.0.1:5432} (set TEST_DATABASE_URL)"; \
		echo "POSTGRES-HALF: skipped" > .postgres-half; \
		if [ -n "$$REQUIRE_POSTGRES" ]; then echo "REQUIRE_POSTGRES is set: failing"; exit 1; fi; \
	fi

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## make bench: benchmarks against baselines -> BENCHMARKS.md (BENCH_SCALE, BENCH_FULL=1, DATABASE_URL; BENCH_ONLY=lists)
bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) -m bench.run

## make chaos: score saves while its own PostgreSQL restarts and stops for 10 s -> RELIABILITY.md
chaos: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) -m bench.chaos

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .postgres-half
