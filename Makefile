# Two commands matter: `make demo` and `make test`. Everything else is a helper they call.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup system-deps demo test lint typecheck check bench soak tour fonts clean

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

# Kivy allows one window per process: non-GUI tests never import it, and each GUI suite gets its own run.
test: setup system-deps
	scripts/with-display.sh $(BIN)/python -m pytest --ignore=tests/gui
	scripts/with-display.sh $(BIN)/python -m pytest tests/gui --ignore=tests/gui/kiosk_app
	scripts/with-display.sh $(BIN)/python -m pytest tests/gui/kiosk_app

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check feed kiosk display centre tests benchmarks scripts lint
	$(BIN)/vulture

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
