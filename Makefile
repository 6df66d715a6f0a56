# Two commands matter: `make demo` and `make test`. Everything else is a helper they call.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup system-deps demo test test-fast lint typecheck check bench soak tour fonts clean

$(STAMP): pyproject.toml
	@scripts/check-python.sh $(PYTHON)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

setup: $(STAMP)

system-deps:
	@scripts/install-system-deps.sh

demo: setup
	@scripts/demo.sh

# One pytest run per suite: each measures the coverage of the code it is about (in the test process;
# programs the tests start as processes, such as the centre's server, are not counted) and fails
# below that suite's floor, a little under what it measures (var/coverage/ keeps the data). Kivy
# allows one window per process: non-GUI tests never import it, and each GUI suite gets its own run.
PYTEST   := scripts/with-display.sh $(BIN)/python -m pytest
COVERAGE  = COVERAGE_FILE=var/coverage/$(1) $(PYTEST) --cov=$(2) --cov-report= --cov-fail-under=$(3)
test: setup system-deps
	@mkdir -p var/coverage
	$(call COVERAGE,core,feed,85) tests/feed tests/test_*.py
	$(call COVERAGE,kiosk-logic,kiosk.logic,93) tests/kiosk
	$(call COVERAGE,display,display,88) tests/display
	$(call COVERAGE,centre,centre,58) tests/centre
	$(call COVERAGE,display-window,display.drivers.window,90) tests/gui --ignore=tests/gui/kiosk_app
	$(call COVERAGE,kiosk,kiosk,78) tests/gui/kiosk_app

# The quick loop while working: every non-GUI suite without the tests marked slow, no coverage.
test-fast: setup
	$(BIN)/python -m pytest --ignore=tests/gui -m "not slow" -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check feed kiosk display centre tests benchmarks scripts lint
	$(BIN)/python lint/dead_code.py

typecheck: setup
	$(BIN)/mypy

check: lint typecheck test

# Every benchmark; writes docs/benchmarks.json, docs/benchmarks.md and the README's figures.
bench: setup system-deps
	scripts/with-display.sh $(BIN)/python -m benchmarks

# Half an hour of scripted touches while the feed changes and the network drops (not part of test).
soak: setup system-deps
	scripts/with-display.sh $(BIN)/python -m benchmarks.soak --minutes 30

tour: setup system-deps
	scripts/with-display.sh $(BIN)/hall-kiosk --demo --tour var/tour

fonts: setup system-deps
	$(BIN)/python scripts/make_font_subsets.py

clean:
	rm -rf var build *.egg-info .pytest_cache .mypy_cache .ruff_cache
