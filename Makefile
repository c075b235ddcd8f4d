# Set-up is two commands: `make run` (the self-check) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck pytest bench schemas clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
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

# PRODUCT.md §8 as whole processes; rewrites BENCHMARKS.md. Exports are generated into
# bench/data/ once (the 1M one is ~290 MB). E.g. BENCH_ARGS='--sizes 100k --runs 7'.
bench: $(STAMP)
	$(BIN)/python -c 'import pandas' 2>/dev/null || $(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/run.py $(BENCH_ARGS)

schemas: $(STAMP)
	for kind in framework theme answers; do $(BIN)/lpc-assess schema $$kind > schemas/$$kind.schema.json; done

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache
