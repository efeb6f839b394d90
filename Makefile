# teipipe: archive document pages -> scholarly TEI edition.
# A newcomer runs `make all` (build the edition) and `make test` (run the tests); both set
# up .venv/ on first use.  `make help` lists every target.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SYSDEPS := .cache/teipipe/.system-deps

.DEFAULT_GOAL := help
.PHONY: help all setup tei editions html text test validate check-tei clean deposit

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14

all: tei editions deposit ## build the whole edition from source/: tei/, build/html/, build/text/, deposit packages

setup: $(STAMP) ## create .venv/, install teipipe, fetch the tei_all schema

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	$(BIN)/teipipe setup
	touch $@

$(SYSDEPS): scripts/system-deps.sh
	sh scripts/system-deps.sh
	mkdir -p $(dir $@) && touch $@

tei: $(STAMP) ## convert source/*.txt into tei/*.xml
	$(BIN)/teipipe convert source -o tei

editions: html text ## build the HTML and plain-text editions from tei/

html: tei ## the HTML edition in build/html/ (open build/html/index.html)
	$(BIN)/teipipe export html tei -o build/html

text: tei ## the plain-text edition in build/text/
	$(BIN)/teipipe export text tei -o build/text

deposit: $(STAMP) editions ## package the edition for repositories: build/deposit (BagIt, .zip), build/dspace-saf
	$(BIN)/teipipe deposit -o build/deposit --archive zip
	$(BIN)/teipipe deposit --format dspace-saf -o build/dspace-saf --archive zip

test: $(STAMP) $(SYSDEPS) ## run the test suite (browser tests: Debian chromium, axe-core from npm)
	$(BIN)/teipipe setup axe.min.js
	$(BIN)/python -m pytest

check-tei: tei ## fail when `make tei` changes the committed tei/
	git diff --exit-code -- tei/
	@test -z "$$(git status --porcelain -- tei/)" || { git status --porcelain -- tei/; \
		echo "tei/ has files that are not committed"; exit 1; }

clean: ## remove what the build made (not tei/)
	rm -rf $(VENV) .cache .pytest_cache build
