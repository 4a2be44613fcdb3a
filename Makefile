# Two commands do all set-up on a fresh clone: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
STORE ?= data/store
BENCH_SIZE ?= 1k
INGESTED := $(STORE)/.ingested-stamp
SEEDS := $(wildcard seeds/*)
AUTHORITY := $(wildcard authority/*.toml)

.PHONY: install test serve ingest lint bench clean

# Reinstall only when pyproject.toml changes.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests

# Re-ingest only when the store is missing or older than the seeds or the authority file.
# `lodpub ingest` publishes a new store generation and switches to it, so a running server
# is never written under.
$(INGESTED): $(STAMP) $(SEEDS) $(AUTHORITY)
	$(BIN)/lodpub ingest --store $(STORE) seeds/
	touch $@

ingest: $(INGESTED)

serve: $(INGESTED)
	$(BIN)/lodpub serve --store $(STORE)

# lodpub against its peers on a synthetic corpus: writes bench/RESULTS.md (docs/bench.md).
# wrk and Virtuoso come from Debian when missing (a peer that cannot be installed in 5 minutes
# is reported missing); the Oxigraph server and rdflib-endpoint are pip-installed into
# bench/.peers/venv. The run itself keeps to BENCH_TIME_LIMIT seconds (what did not fit is
# reported as skipped). Then the load test (bench/load.py, SECURITY.md): one minute of load,
# 192 s with its set-up (200 records, any BENCH_SIZE); 960 s keeps `make bench` under 20 min.
BENCH_TIME_LIMIT ?= 960
bench: $(STAMP)
	command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y wrk || echo "bench: wrk missing: Python load generator used"
	command -v virtuoso-t >/dev/null || DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y virtuoso-opensource || echo "bench: Virtuoso missing: reported as missing"
	BENCH_SIZE=$(BENCH_SIZE) $(BIN)/python bench/run.py --time-limit $(BENCH_TIME_LIMIT)
	$(BIN)/python bench/load.py --size 200 --duration 60 --out bench/results/load.json

clean:
	rm -rf $(VENV) data
