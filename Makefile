# TAF Browser — the two commands a new user runs:
#   make serve   build the site and serve it on http://127.0.0.1:8000/
#   make test    run every test (unit, property, golden, CLI, browser, parity)
PYTHON ?= python3
PORT ?= 8000
PIP = $(PYTHON) -m pip install --quiet --disable-pip-version-check --root-user-action=ignore

.PHONY: serve site test test-fast deps deps-browser bench clean

deps:
	$(PIP) -e '.[test,build]'

deps-browser: deps
	$(PIP) -e '.[browser]'
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium (needs root) ..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

site: deps
	$(PYTHON) scripts/build_site.py

serve: deps
	$(PYTHON) scripts/build_site.py --serve --port $(PORT)

test: deps-browser
	$(PYTHON) scripts/build_site.py
	$(PYTHON) -m pytest -q

test-fast: deps
	$(PYTHON) -m pytest -q -m "not browser"

bench: deps-browser
	$(PYTHON) bench/run_bench.py

clean:
	rm -rf site build dist *.egg-info .pytest_cache .hypothesis
