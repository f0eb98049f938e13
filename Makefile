# One command to set up and run, one to test. Both create .venv on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PROFILE ?= examples/data_centre.json

.PHONY: run test setup bench bench-api bench-whatif clean

$(BIN)/kainuu-match: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $@

setup: $(BIN)/kainuu-match

run: setup
	$(BIN)/kainuu-match validate-data
	$(BIN)/kainuu-match rank $(PROFILE) --top 5

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/pip install --quiet -e ".[bench]"
	$(BIN)/python benchmarks/bench_rank.py

bench-whatif: setup
	$(BIN)/python benchmarks/bench_whatif.py

bench-api: setup
	$(BIN)/python benchmarks/bench_api.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
