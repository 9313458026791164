# The two Quickstart commands (make serve, make test) plus a few helpers.
# Everything a fresh machine needs is installed by these targets.

PYTHON ?= python3
# Material for MkDocs prints a notice about MkDocs 2.0 on every build; it says nothing about this site.
export NO_MKDOCS_2_WARNING := 1
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: serve test lint format browser bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

## serve: install, build the site and serve the portal with demo data at http://127.0.0.1:8000
serve: $(STAMP)
	$(BIN)/portal serve

## browser: install Debian's Chromium for the browser tests when it is missing
browser:
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || \
		{ echo "Installing Debian's chromium for the browser tests"; \
		  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

## test: install everything the tests need, lint, and run the whole suite
test: $(STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

## bench: print every figure of docs/performance.md in one run (builds at 1,000 and 10,000 resources: minutes)
bench: $(STAMP) browser
	$(BIN)/portal bench

## format: format and fix what ruff can
format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf .portal .pytest_cache .ruff_cache
