# The two commands of the quick start are `make demo` and `make test`; both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
CRSV := $(BIN)/crsvdata

.PHONY: demo test lint types imports pytest schemas schemas-check codes docs docs-check examples bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

demo: $(STAMP)
	@echo "== crsvdata validate: the bundled synthetic examples =="
	$(CRSV) validate examples/cases/*.json examples/packages/*.json examples/synthetic/*.jsonl
	@echo
	@echo "== crsvdata validate: deliberately broken examples (exit code 1 expected) =="
	-$(CRSV) validate examples/broken/*.json
	@echo
	@echo "== crsvdata summary =="
	$(CRSV) summary examples/synthetic/case-records.jsonl
	@echo
	@echo "== crsvdata anonymise --profile research --demo (public DEMO key: never for real data) =="
	@demo_out=$$(mktemp -d) && \
	  $(CRSV) anonymise --profile research --demo --key-file examples/keys/demo.key \
	    --recipient synth_research_unit \
	    examples/synthetic/case-records.jsonl "$$demo_out/research.jsonl" >/dev/null && \
	  echo "(written: $$demo_out/research.jsonl and its manifest, marked DEMO EXPORT, beside it)" && \
	  echo && echo "== crsvdata stats: acts by form of violence and sex, small cells protected ==" && \
	  $(CRSV) stats --by form_of_violence,sex examples/synthetic/case-records.jsonl "$$demo_out/table.csv"

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

clean:
	rm -rf $(VENV) site dist .mypy_cache .ruff_cache .pytest_cache .hypothesis

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/python benchmarks/bench.py
