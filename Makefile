# One command to set up and run, one to test. Both create .venv on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PROFILE ?= examples/data_centre.json
PORT ?= 8000

.PHONY: run web test setup bench bench-api bench-whatif screenshots clean

$(BIN)/kainuu-match: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $@

setup: $(BIN)/kainuu-match

run: setup
	$(BIN)/kainuu-match validate-data
	$(BIN)/kainuu-match rank $(PROFILE) --top 5
	@echo
	@echo "Web app: run 'make web' (serves on http://127.0.0.1:$(PORT)/ and prints a one-time sign-in link)."

web: setup
	$(BIN)/python -m api.web.launch --port $(PORT)

screenshots: setup
	KAINUU_SCREENSHOTS=1 $(BIN)/python -m pytest tests/test_web_e2e.py -q

# Parallel workers share the cores: one maths thread each (BLAS would otherwise start a thread per core
# in every worker and every server the tests start).
test: setup
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(BIN)/python -m pytest -n auto --maxprocesses 4 --dist loadfile

bench: setup
	$(BIN)/pip install --quiet -e ".[bench]"
	$(BIN)/python benchmarks/bench_rank.py

bench-whatif: setup
	$(BIN)/python benchmarks/bench_whatif.py

bench-api: setup
	$(BIN)/python benchmarks/bench_api.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
