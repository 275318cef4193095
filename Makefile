# daicho: `make serve` and `make test` are all a new machine needs (Python 3.11 and make).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
ADDR   ?= 127.0.0.1:8000
# Material for MkDocs 9.7+ prints an end-of-life banner on every build (the theme ends in May 2027,
# see docs/maintained-core.md); the readers of our terminals cannot act on it.
export NO_MKDOCS_2_WARNING := 1

.PHONY: install validate build public serve test bench fuzz lint clean screenshots

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

# The browser libraries of the site (daicho/jsdeps.py: pinned, checked by hash; skipped without npm).
install: $(STAMP)
	@$(BIN)/python -m daicho.jsdeps

validate: install
	$(BIN)/daicho validate

# The sites are built by ProperDocs, the maintained MkDocs 1.x fork; CORE=mkdocs builds with
# MkDocs 1.6.1 instead (the same files: tests/test_core_builds.py, docs/maintained-core.md).
CORE ?= properdocs

build: install
	DAICHO_CORE=$(CORE) $(BIN)/daicho build

public: install
	DAICHO_CORE=$(CORE) $(BIN)/daicho build --public

serve: install
	$(BIN)/python -m $(CORE) serve -f mkdocs.yml --dev-addr $(ADDR)

test: install
	$(BIN)/python -m pytest

# BENCH_N records of every type (generated under benchmarks/out/); BENCH_N=20000 for the
# prefecture-sized target (about half an hour on 2 cores). BENCH_PARTS=validate,site leaves
# out the search rows.
BENCH_N ?= 1000
# Bytecode is compiled first: where PYTHONDONTWRITEBYTECODE is set (containers, this project's
# machines) every run would otherwise compile daicho from source, which no installed copy does.
bench: install
	$(BIN)/python -m compileall -q scripts/daicho
	BENCH_N=$(BENCH_N) $(BIN)/python benchmarks/run.py

# Over 10,000 Hypothesis cases (loader and validator 3 x 3,000, renderer 5 x 400) and 10,000
# atheris runs; `make test` runs the same properties with a short budget.
fuzz: install
	DAICHO_FUZZ_EXAMPLES=3000 $(BIN)/python -m pytest -q tests/test_fuzz_loader.py
	DAICHO_FUZZ_EXAMPLES=400 $(BIN)/python -m pytest -q tests/test_fuzz_render.py
	$(BIN)/python fuzz/fuzz_records.py -runs=10000 -print_final_stats=1

# The screenshots in docs/records-guide.md, from a demo build in headless Chromium.
screenshots: install
	$(BIN)/python -m tests.screenshots docs/images/guide

lint: install
	$(BIN)/pre-commit run --all-files

clean:
	rm -rf site site-public .daicho-cache
