# TAF Browser — the two commands a new user runs:
#   make serve   build the site and serve it on http://127.0.0.1:8000/
#   make test    check the style (make lint), then run every test (unit, property, golden, CLI, browser, parity)
PYTHON ?= python3
PORT ?= 8000
PIP = $(PYTHON) -m pip install --quiet --disable-pip-version-check --root-user-action=ignore

.PHONY: serve site test test-fast lint deps deps-browser deps-runtime deps-axe screenshot bench clean

deps:
	$(PIP) -e '.[test,build]'

deps-browser: deps
	$(PIP) -e '.[browser]'
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium (needs root) ..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# npm fetches the pinned Pyodide runtime once (`npm pack`, integrity-checked, cached in .cache/pyodide/);
# Node.js runs it at every build to make the memory snapshot the page boots from
deps-runtime:
	@ls .cache/pyodide/pyodide-*.tgz >/dev/null 2>&1 || command -v npm >/dev/null 2>&1 || { \
	  echo "installing npm (needs root) to fetch the Pyodide runtime ..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; }
	@command -v node >/dev/null 2>&1 || { \
	  echo "installing nodejs (needs root) to make the Pyodide memory snapshot ..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs; }

site: deps deps-runtime
	$(PYTHON) scripts/build_site.py

serve: deps deps-runtime
	$(PYTHON) scripts/build_site.py --serve --port $(PORT)

# axe-core for the browser tests' accessibility checks (`npm pack`, integrity-pinned, cached in .cache/npm/)
deps-axe:
	@ls .cache/npm/axe-core-*.tgz >/dev/null 2>&1 || command -v npm >/dev/null 2>&1 || { \
	  echo "installing npm (needs root) to fetch axe-core ..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; }
	$(PYTHON) tests/browser/axe.py >/dev/null

# the style check first (a lint failure fails the test command), then every test; the browser tests
# build the site themselves (into a temporary folder)
test: lint deps-browser deps-runtime deps-axe
	$(PYTHON) -m pytest -q

# docs/screenshot.png for the README
screenshot: deps-browser deps-runtime
	$(PYTHON) scripts/screenshot.py

# style: ruff (lint + format) and mypy over taf/ (config in pyproject.toml); ruff==0.8.4 and
# mypy==1.13.0 are pinned in the test extra that `deps` installs
lint: deps
	$(PYTHON) -m ruff check taf
	$(PYTHON) -m ruff format --check taf
	$(PYTHON) -m mypy

test-fast: deps
	$(PYTHON) -m pytest -q -m "not browser"

bench: deps-browser deps-runtime
	$(PYTHON) bench/run_bench.py

clean:
	rm -rf site build dist *.egg-info .pytest_cache .hypothesis .mypy_cache .ruff_cache
