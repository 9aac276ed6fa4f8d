# The two commands of the quick start are `make demo` and `make test`; both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
CRSV := $(BIN)/crsvdata

.PHONY: demo test lint types imports pytest schemas schemas-check codes docs docs-check examples bench accelerate accelerate-clean clean

DEMO_STAMP := $(VENV)/.demo-installed-stamp
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check

# Everything: the package with every extra and the development tools (make test and the other targets).
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) install -e ".[dev]"
	@touch $(STAMP)

# The demo needs the runtime package alone: no extra, no development tool (a full install also does).
# pip -qq: errors only, so the demo's output stays short (pip's warnings would be most of it).
$(DEMO_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -f $(STAMP) -a $(STAMP) -nt pyproject.toml || \
	  { echo "== installing crsvdata (the runtime package only) into $(VENV) =="; $(PIP) -q install -e .; }
	@touch $(DEMO_STAMP)

# The commands and their checks are in examples/demo.sh (under 40 lines of output; exits non-zero on failure).
demo: $(DEMO_STAMP)
	@CRSVDATA=$(CRSV) ./examples/demo.sh

# The docs site is built once: docs-check builds site/ strictly, and the pytest run checks that very site
# (CRSVDATA_DOCS_SITE; tests/test_docs_site.py refuses it if any input changed after the build).
test: lint types imports schemas-check docs-check
	CRSVDATA_DOCS_SITE=$(CURDIR)/site $(PYTEST)
	@echo "make test: all checks passed"

lint: $(STAMP)
	$(BIN)/ruff check src tests tools benchmarks docs/hooks
	$(BIN)/ruff format --check src tests tools benchmarks docs/hooks

types: $(STAMP)
	$(BIN)/mypy src tools docs/hooks

# The layer contracts of pyproject.toml ([tool.importlinter]): an upward import fails here.
imports: $(STAMP)
	$(BIN)/lint-imports

PYTEST := $(BIN)/pytest -q -n 2

pytest: $(STAMP)
	$(PYTEST)

codes: $(STAMP)
	$(BIN)/python -m tools.manage codes

schemas: $(STAMP)
	$(BIN)/python -m tools.manage schemas

schemas-check: $(STAMP)
	$(BIN)/python -m tools.manage check

examples: $(STAMP)
	$(BIN)/python -m tools.manage examples

# The documentation site (mkdocs.yml). `docs` serves it with live reload at http://127.0.0.1:8000/crsvdata/;
# `docs-check` is the strict build CI runs (every warning is an error), into site/; the stamp it leaves
# tells the docs tests that site/ is a complete strict build (mkdocs keeps hidden files, so remove it first).
MKDOCS := NO_MKDOCS_2_WARNING=1 $(BIN)/python -m mkdocs
DOCS_STAMP := site/.crsvdata-strict-build

docs: $(STAMP)
	$(MKDOCS) serve

docs-check: $(STAMP)
	@rm -f $(DOCS_STAMP)
	$(MKDOCS) build --strict --site-dir site
	@touch $(DOCS_STAMP)

# Optional: the rules compiled with mypyc beside their sources (same findings; see tools/accelerate.py).
accelerate: $(STAMP)
	$(BIN)/python -m tools.accelerate

accelerate-clean: $(STAMP)
	$(BIN)/python -m tools.accelerate --clean

clean:
	rm -rf $(VENV) site dist .mypy_cache .ruff_cache .pytest_cache .hypothesis
	find src -name '*.so' -delete

# The issue-14 run (benchmarks/bench.py says why each count): CLI validate rows on BENCH_RECORDS rich
# records, in-process rows (parse limit, peers, Python API) on the first BENCH_SMALL_RECORDS of them,
# anonymise on BENCH_EXPORT_RECORDS and its peak memory on BENCH_EXPORT_MEMORY_RECORDS (0 skips it); a CLI
# run still going after BENCH_TIME_LIMIT seconds is stopped and reported as a bound, which keeps the whole
# run under about 35 minutes on 2 cores. A short look:
# make bench BENCH_RECORDS=20000 BENCH_SMALL_RECORDS=5000 BENCH_EXPORT_RECORDS=2000 \
#   BENCH_EXPORT_MEMORY_RECORDS=0 BENCH_OUTPUT=/tmp/r.md
BENCH_RECORDS ?= 1000000
BENCH_SMALL_RECORDS ?= 50000
BENCH_EXPORT_RECORDS ?= 20000
BENCH_EXPORT_MEMORY_RECORDS ?= 1000000
BENCH_EXPORT_MEMORY_TIME_LIMIT ?= 1800
BENCH_REPEAT ?= 3
BENCH_PROCESS_REPEAT ?= 1
BENCH_TIME_LIMIT ?= 300
BENCH_OUTPUT ?= benchmarks/RESULTS.md

# The bench extra is installed only when missing: $(STAMP) already made the editable install of this checkout.
bench: $(STAMP)
	@$(BIN)/python -c "import jsonschema_rs, pandas, psutil" 2>/dev/null || $(PIP) install -e ".[dev,bench]"
	$(BIN)/python benchmarks/bench.py --records $(BENCH_RECORDS) --small-records $(BENCH_SMALL_RECORDS) \
		--export-records $(BENCH_EXPORT_RECORDS) --export-memory-records $(BENCH_EXPORT_MEMORY_RECORDS) \
		--export-memory-time-limit $(BENCH_EXPORT_MEMORY_TIME_LIMIT) --repeat $(BENCH_REPEAT) \
		--process-repeat $(BENCH_PROCESS_REPEAT) --time-limit $(BENCH_TIME_LIMIT) --output $(BENCH_OUTPUT)
