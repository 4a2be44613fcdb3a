# Two commands do all set-up on a fresh clone: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
STORE ?= data/store
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
$(STORE)/.ingested: $(STAMP) $(SEEDS) $(AUTHORITY)
	rm -rf $(STORE).new
	$(BIN)/lodpub ingest --store $(STORE).new seeds/
	rm -rf $(STORE) && mv $(STORE).new $(STORE)
	touch $@

ingest: $(STORE)/.ingested

serve: $(STORE)/.ingested
	$(BIN)/lodpub serve --store $(STORE)

clean:
	rm -rf $(VENV) data
