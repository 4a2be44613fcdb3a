# Two commands do all set-up on a fresh clone: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
STORE ?= data/store
INGESTED := $(STORE)/.ingested-stamp
SEEDS := $(wildcard seeds/*)
AUTHORITY := $(wildcard authority/*.toml)

.PHONY: install test serve ingest lint clean

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

clean:
	rm -rf $(VENV) data
