# teipipe: archive document pages -> scholarly TEI edition.
# A newcomer runs `make all` (build the edition) and `make test` (run the tests); both set
# up .venv/ on first use.  `make help` lists every target.

# `make setup PYTHON=...`: the interpreter of a new .venv/; by default the fastest build of
# python3's version that this machine has (scripts/pick_python.py: a fifth apart between
# builds).  An existing .venv/ keeps its own (rm -rf .venv to choose again).
PYTHON ?= python3
SELF   := $(abspath $(lastword $(MAKEFILE_LIST)))
HERE   := $(dir $(SELF))
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SYSDEPS := .cache/teipipe/.system-deps
# `make all NER=--no-ner`: leave the statistical recognizer out (its answers are cached per
# page, so only new or changed pages pay for it; see the README's Performance section)
NER    ?= --ner
# `make setup COMPILE=no`: do not compile the converter's hot modules (see `make compile`)
COMPILE ?= yes

.DEFAULT_GOAL := help
.PHONY: later-stages compile clean-native help all setup tei editions html text test lint validate bench bench-validate check-tei clean deposit review bench-entities FORCE

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14

all: tei ## build the whole edition from source/: tei/, the review list, build/html/, build/text/, deposit packages
	+@$(MAKE) --no-print-directory -f $(SELF) CONVERTED=yes later-stages

# After convert, `make all` runs the later stages in a make of its own (which sees the TEI
# files as convert left them): the editions, with the review of names written in the same
# run (each TEI file read once for all three), then the deposit (it packages the editions).
# Each uses every core, and has the terminal for its progress bar.  later-stages has a
# recipe that does nothing so that make says nothing when both are up to date.
later-stages: editions deposit
	@:

setup: $(STAMP) ## create .venv/, install teipipe, fetch the tei_all schema, compile where a C compiler is

# The package is byte-compiled once here: every teipipe command would otherwise compile it
# again when PYTHONDONTWRITEBYTECODE is set (a .pyc that no longer matches its source is ignored).
# `teipipe setup` runs last: the gazetteer it stores is keyed by the code, compiled modules
# included, so made before `make compile` it would be made again by the first convert.
$(STAMP): $(HERE)pyproject.toml
	test -x $(BIN)/python || $(if $(filter command environment,$(firstword $(origin PYTHON))),$(PYTHON),$$($(PYTHON) $(HERE)scripts/pick_python.py || echo $(PYTHON))) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '$(HERE).[dev,ner]'
	$(BIN)/python -m compileall -q $(HERE)pipeline
	touch $@
	@if [ "$(COMPILE)" = no ]; then :; elif $(BIN)/python $(HERE)scripts/compile.py --can; then \
		$(MAKE) --no-print-directory compile || { $(MAKE) --no-print-directory clean-native; \
		echo "make compile failed: teipipe runs as Python"; }; \
	else echo "no C compiler or Python headers: teipipe runs as Python (apt install gcc" \
		"python3-dev, then make compile, for about a quarter less convert time)"; fi
	$(BIN)/teipipe setup || { rm -f $@; exit 1; }

$(SYSDEPS): $(HERE)scripts/system-deps.sh
	sh $(HERE)scripts/system-deps.sh
	mkdir -p $(dir $@) && touch $@

# Incremental builds: each stage skips what is up to date (see the README's Performance
# section); on top, make runs a stage only when what it reads changed: convert touches
# $(STAMPS)/tei only when it wrote a TEI file, and each later stage touches its own stamp.
# `make -B TARGET` (or removing $(STAMPS)) runs a stage all the same.
STAMPS := $(or $(TEIPIPE_CACHE),.cache/teipipe)/make
CODE   := $(shell find $(HERE)pipeline -type f -not -path '*/__pycache__/*')
EDITION_INPUTS := $(wildcard edition.toml source/register.xml) $(CODE)
FORCE:

tei: $(STAMPS)/tei ## convert source/*.txt into tei/*.xml (only what changed)
# (CONVERTED=yes: the make that `make all` runs after convert runs neither set-up nor convert
# again, not even under make -B; the stamp then says whether the later stages are out of date)
$(STAMPS)/tei: $(if $(CONVERTED),,$(STAMP)) FORCE
	$(if $(CONVERTED),@:,$(BIN)/teipipe convert source -o tei $(NER) --stamp $@)

editions: $(STAMPS)/editions ## build the HTML and plain-text editions and the review list from tei/
# Both editions and the review of names (`make review`'s file) in one run, each TEI file
# read once for all three (`make html`, `make text` or `make review` alone makes only its
# own); their stamps are touched too, so none runs again after.  (The review depends on
# less than the editions do: whenever it is out of date, so are they.)
$(STAMPS)/editions: $(STAMPS)/tei $(EDITION_INPUTS)
	$(BIN)/teipipe export html tei -o build/html --text-output build/text \
		--review-output build/entities-review.tsv --review-format tsv
	@touch $(STAMPS)/html $(STAMPS)/text $(STAMPS)/review $@

html: $(STAMPS)/html ## the HTML edition in build/html/ (open build/html/index.html)
$(STAMPS)/html: $(STAMPS)/tei $(EDITION_INPUTS)
	$(BIN)/teipipe export html tei -o build/html
	@touch $@

text: $(STAMPS)/text ## the plain-text edition in build/text/
$(STAMPS)/text: $(STAMPS)/tei $(CODE)
	$(BIN)/teipipe export text tei -o build/text
	@touch $@

deposit: $(STAMPS)/deposit ## package the edition for repositories: build/deposit (BagIt, .zip), build/dspace-saf
$(STAMPS)/deposit: $(STAMPS)/tei $(STAMPS)/editions $(EDITION_INPUTS) $(wildcard schema/*)
	$(BIN)/teipipe deposit --format bagit --format dspace-saf --archive zip
	@touch $@

test: lint $(SYSDEPS) ## run the linter and the test suite (browser tests: Debian chromium, axe-core from npm)
	$(BIN)/teipipe setup axe.min.js
	$(BIN)/python -m pytest

# Optional: the converter's hot modules (and the validator's two walks of a file) compiled to C
# by mypyc (a quarter less convert CPU per page, same output; needs gcc and Python's headers).  Built again when a source changes; a compiled
# module older than its source is not used: teipipe runs the sources (pipeline/native.py).
# Their list is asked of the venv's Python once it exists: every make reads this file (twice
# in `make all`), and python3 through pyenv's shims took 0.35-0.45 s to start, ten times that.
NATIVE := $(addprefix $(HERE),$(shell $(or $(wildcard $(BIN)/python),$(PYTHON)) -c "import runpy; print(' '.join(runpy.run_path('$(HERE)pipeline/native.py')['MODULES']))" 2>/dev/null))
BUILT  := $(HERE).cache/mypyc/.built

compile: $(BUILT) ## compile the converter's hot modules and the validator's walks with mypyc (optional, faster)

$(BUILT): $(STAMP) $(NATIVE) $(HERE)pipeline/native.py
	$(BIN)/python -m pip install -q -e '$(HERE).[compile]'
	cd $(HERE) && $(abspath $(BIN))/python scripts/compile.py
	touch $@

clean-native: ## remove the compiled modules (teipipe runs its Python sources)
	rm -rf $(HERE).cache/mypyc
	find $(HERE)pipeline -name '*.so' -delete

lint: $(STAMP) ## check the code for unused and undefined names (ruff)
	$(BIN)/ruff check pipeline tests --select F,E9

validate: $(STAMP) ## check tei/ and source/register.xml: XML, project schema, tei_all, rules
	$(BIN)/teipipe validate

# The benchmark: N generated pages (default 2,000) through every stage, 1 core and all, beside
# jing, xmllint and Saxon-HE; then the entity scores.  Results: build/bench/results-N.json.
N ?= 2000
bench: $(STAMP) $(SYSDEPS) ## time every stage on N generated pages (N=2000) against jing, xmllint, Saxon; entity scores
	$(BIN)/python -m pipeline.bench --docs $(N)
	$(MAKE) --no-print-directory bench-entities

bench-validate: $(STAMP) $(SYSDEPS) ## time `teipipe validate` and jing on 1,000 generated cables
	$(BIN)/python scripts/bench_validate.py

review: $(STAMPS)/review ## list the names the register lacks (build/entities-review.tsv)
$(STAMPS)/review: $(STAMPS)/tei $(CODE)
	$(BIN)/teipipe entities review tei --format tsv -o build/entities-review.tsv
	@touch $@

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

clean: clean-native ## remove what the build made (not tei/)
	rm -rf $(VENV) .cache .pytest_cache build
