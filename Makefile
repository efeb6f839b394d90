# teipipe: archive document pages -> scholarly TEI edition.
# A newcomer runs `make all` (build the edition) and `make test` (run the tests); both set
# up .venv/ on first use.  `make help` lists every target.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SYSDEPS := .cache/teipipe/.system-deps

.DEFAULT_GOAL := help
.PHONY: help all setup tei editions html text test lint validate bench-validate check-tei clean deposit review bench-entities

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14

all: tei review editions deposit ## build the whole edition from source/: tei/, the review list, build/html/, build/text/, deposit packages

setup: $(STAMP) ## create .venv/, install teipipe, fetch the tei_all schema

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,ner]'
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

test: lint $(SYSDEPS) ## run the linter and the test suite (browser tests: Debian chromium, axe-core from npm)
	$(BIN)/teipipe setup axe.min.js
	$(BIN)/python -m pytest

lint: $(STAMP) ## check the code for unused and undefined names (ruff)
	$(BIN)/ruff check pipeline tests --select F,E9

validate: $(STAMP) ## check tei/ and source/register.xml: XML, project schema, tei_all, rules
	$(BIN)/teipipe validate

bench-validate: $(STAMP) $(SYSDEPS) ## time `teipipe validate` and jing on 1,000 generated cables
	$(BIN)/python scripts/bench_validate.py

review: tei ## list the names the register lacks (build/entities-review.tsv)
	$(BIN)/teipipe entities review tei --format tsv -o build/entities-review.tsv

# Entity scores: the development set (the seeds and tests/pages, with their gold files) and
# the held-out set (the ten sample pages of ../shared/samples, never used to tune the tagger).
PAGES   ?= tests/pages
SAMPLES ?= ../shared/samples
BENCH   := .cache/bench/entities
bench-entities: $(STAMP) ## entity tagging: precision, recall, F1 and linking on both sets
	@rm -rf $(BENCH) && mkdir -p $(BENCH)/dev-src $(BENCH)/dev-gold
	@cp source/*.txt $(BENCH)/dev-src/
	@if [ -d $(PAGES) ]; then cp $(PAGES)/*.txt $(BENCH)/dev-src/ 2>/dev/null; \
		cp $(PAGES)/*.gold.tsv $(PAGES)/seeds/*.gold.tsv $(BENCH)/dev-gold/ 2>/dev/null; fi; true
	@$(BIN)/teipipe convert -q -o $(BENCH)/dev $(BENCH)/dev-src 2>&1 | grep -v '^[0-9]* files:' || true
	@$(BIN)/teipipe convert -q -o $(BENCH)/held-out $(SAMPLES)/*.txt 2>&1 | grep -v '^[0-9]* files:' || true
	@echo "== development set (seeds and $(PAGES))"
	@if ls $(BENCH)/dev-gold/*.gold.tsv >/dev/null 2>&1; then \
		$(BIN)/teipipe entities score --gold $(BENCH)/dev-gold $(BENCH)/dev; \
	else echo "no gold files in $(PAGES) and $(PAGES)/seeds"; fi
	@echo "== held-out set ($(SAMPLES))"
	@$(BIN)/teipipe entities score --gold $(SAMPLES) $(BENCH)/held-out

check-tei: tei ## fail when `make tei` changes the committed tei/
	git diff --exit-code -- tei/
	@test -z "$$(git status --porcelain -- tei/)" || { git status --porcelain -- tei/; \
		echo "tei/ has files that are not committed"; exit 1; }

clean: ## remove what the build made (not tei/)
	rm -rf $(VENV) .cache .pytest_cache build
