# daicho: `make serve` and `make test` are all a new machine needs (Python 3.11 and make).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
ADDR   ?= 127.0.0.1:8000

.PHONY: install validate build public serve test bench lint clean screenshots

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

validate: install
	$(BIN)/daicho validate

build: install
	$(BIN)/mkdocs build --strict

public: install
	$(BIN)/daicho build --public

serve: install
	$(BIN)/mkdocs serve --dev-addr $(ADDR)

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python benchmarks/run.py

# The screenshots in docs/records-guide.md, from a demo build in headless Chromium.
screenshots: install
	$(BIN)/python -m tests.screenshots docs/images/guide

lint: install
	$(BIN)/pre-commit run --all-files

clean:
	rm -rf site site-public .daicho-cache
