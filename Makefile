# Set-up is two commands: `make run` (the self-check) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# `make lock` runs pip-compile from its own venv; `make test-latest` tests in another.
LOCK_VENV   ?= .venv-lock
LATEST_VENV ?= .venv-latest

.PHONY: run test lint typecheck pytest lock test-latest bench schemas mutation clean

# Exactly what requirements.lock pins, every file checked against its hash, then
# the project itself, built by the locked hatchling (no build isolation, no deps).
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/lpc-assess take

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy --strict src

pytest: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Regenerates requirements.lock from pyproject.toml (dependencies, `test` extra)
# and requirements.in (build backend, pip, what Python 3.10 needs), against PyPI
# alone, whatever this machine's pip configuration adds. Existing pins are kept
# where they still fit: LOCK_ARGS=--upgrade moves everything to the newest
# release, LOCK_ARGS='--upgrade-package rich' one package. Then checks that every
# pin installs on Python 3.10 (Requires-Python, and a wheel for 3.10).
PYPI        := https://pypi.org/simple
PYPI_ONLY   := env -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_FIND_LINKS -u PIP_CONSTRAINT \
               PIP_CONFIG_FILE=/dev/null
lock:
	test -x $(LOCK_VENV)/bin/python || $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade pip 'pip-tools>=7.4'
	$(PYPI_ONLY) CUSTOM_COMPILE_COMMAND='make lock' $(LOCK_VENV)/bin/pip-compile --quiet \
	    --generate-hashes --allow-unsafe --strip-extras --extra test --extra pdf \
	    --index-url $(PYPI) --no-emit-index-url --no-emit-find-links $(LOCK_ARGS) \
	    --output-file requirements.lock pyproject.toml requirements.in
	$(PYPI_ONLY) $(LOCK_VENV)/bin/python -m pip install --quiet --dry-run --ignore-installed \
	    --no-deps --require-hashes --only-binary :all: --python-version 3.10 \
	    --index-url $(PYPI) -r requirements.lock \
	  || { echo "requirements.lock does not install on Python 3.10: cap that package in requirements.in" >&2; exit 1; }

# The same checks against the newest releases that pyproject.toml allows, in a
# venv of their own: what a `pip install lpc-assess` today would get.
test-latest:
	test -x $(LATEST_VENV)/bin/python || $(PYTHON) -m venv $(LATEST_VENV)
	$(LATEST_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LATEST_VENV)/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[test,pdf]'
	touch $(LATEST_VENV)/.installed
	$(MAKE) --no-print-directory lint typecheck pytest VENV=$(LATEST_VENV)

# the performance targets in BENCHMARKS.md as whole processes; rewrites BENCHMARKS.md. Exports are generated into
# bench/data/ once (the 1M one is ~290 MB). E.g. BENCH_ARGS='--sizes 100k --runs 7'.
bench: $(STAMP)
	$(BIN)/python -c 'import pandas, polars' 2>/dev/null || $(BIN)/python -m pip install --quiet -e '.[test,pdf,bench]'
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The JSON Schemas, and the record of each built-in framework's check that lets commands
# start without the YAML parser and pydantic (src/lpc_assess/model/lookup.py).
schemas: $(STAMP)
	for kind in framework theme answers; do $(BIN)/lpc-assess schema $$kind > schemas/$$kind.schema.json; done
	for dir in frameworks/*/; do $(BIN)/python -c 'import sys, pathlib; from lpc_assess.model.lookup import write_record; write_record(pathlib.Path(sys.argv[1]))' $$dir; done

# Mutation testing (docs/mutation-testing.md): mutmut changes the scoring, team statistics
# and 360 code one small edit at a time and runs their unit tests ([tool.mutmut] in
# pyproject.toml); a change no test notices is a gap. Prints the share of changes caught per
# module and fails below MUTATION_MIN percent. Results are kept in mutants/, so a second run
# only retests what changed. MUTATION_ARGS='--max-children 1' on a busy machine.
MUTATION_ARGS ?= --max-children 2
MUTATION_MIN  ?= 95
mutation: $(STAMP)
	mkdir -p mutants
	$(BIN)/mutmut run $(MUTATION_ARGS) > mutants/run.log 2>&1 || { tail -n 30 mutants/run.log; exit 1; }
	@$(BIN)/mutmut results --all true 2>/dev/null | awk -F': ' -v min=$(MUTATION_MIN) ' \
	  { module = $$1; sub(/^ +/, "", module); sub(/\.[^.]*$$/, "", module); all[module]++ } \
	  $$NF == "killed" || $$NF == "timeout" || $$NF == "caught by type check" { caught[module]++ } \
	  END { printf "%-34s %8s %8s %7s\n", "module", "mutants", "caught", "score"; \
	        for (m in all) { score = 100 * caught[m] / all[m]; total += all[m]; got += caught[m]; \
	          printf "%-34s %8d %8d %6.1f%%%s\n", m, all[m], caught[m], score, \
	            score < min ? "  below " min "%" : "" | "sort"; \
	          if (score < min) low = 1 } \
	        close("sort"); \
	        printf "%-34s %8d %8d %6.1f%%\n", "all", total, got, 100 * got / total; \
	        if (low) print "see the survivors with: $(BIN)/mutmut results"; exit low }'

clean:
	rm -rf $(VENV) $(LOCK_VENV) $(LATEST_VENV) dist build .pytest_cache .mypy_cache .ruff_cache mutants
