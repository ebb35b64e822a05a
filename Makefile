# Switchboard developer commands. The README's two commands are `make run` and `make check`.
# Each target installs what it needs first (into .venv), so any of them works on a fresh clone.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Installs come from hashed lock files (make lock writes them from pyproject.toml); a change to
# any of them installs again.
LOCK := requirements/main.txt
TEST_LOCK := requirements/test.txt
HASH := $(shell cat pyproject.toml $(wildcard $(LOCK) $(TEST_LOCK)) | sha1sum | cut -c1-12)
TEST_DATA_DIR ?= var/test
SHARED_TOOLS := $(wildcard ../shared/tools/spec_plugin.py)
# System packages the tests need (Debian): msgfmt checks the Polish translation; pages are
# tested in Chromium; mailboxes against a throwaway Dovecot (IMAP and POP3); voicemail is spoken
# by espeak-ng and made telephone audio by sox.
TEST_SYSTEM_PACKAGES := gettext chromium dovecot-imapd dovecot-pop3d espeak-ng sox

.PHONY: setup setup-test run web worker test fmt fmt-check lint typecheck layers audit check lock lock-upgrade messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-$(HASH): $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check || (echo "The lock files lack a dependency of pyproject.toml: run make lock." && false)
	@rm -f $(VENV)/.installed-* && touch $@

$(VENV)/.installed-test-$(HASH): $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r $(TEST_LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check || (echo "The lock files lack a dependency of pyproject.toml: run make lock." && false)
	@rm -f $(VENV)/.installed-* && touch $@ $(VENV)/.installed-$(HASH)

setup: $(VENV)/.installed-$(HASH)

setup-test: $(VENV)/.installed-test-$(HASH)
	@scripts/install-system-packages $(TEST_SYSTEM_PACKAGES)

run: setup  ## embedded: one process, SQLite, http://127.0.0.1:8000
	$(BIN)/switchboard run

web: setup
	$(BIN)/switchboard web

worker: setup
	$(BIN)/switchboard worker

test: setup-test  ## the whole suite; DATABASE_URL / REDIS_URL select PostgreSQL / Redis
	SWITCHBOARD_DATA_DIR=$(TEST_DATA_DIR) $(if $(SHARED_TOOLS),PYTHONPATH=../shared/tools SPEC_RESULTS=$(TEST_DATA_DIR)/spec-results.json) \
		$(BIN)/pytest $(if $(SHARED_TOOLS),-p spec_plugin) $(PYTEST_ARGS)

fmt: setup-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

fmt-check: setup-test
	$(BIN)/ruff format --check .

lint: setup-test
	$(BIN)/ruff check .

typecheck: setup-test
	SWITCHBOARD_DATA_DIR=$(TEST_DATA_DIR) $(BIN)/mypy .

# The layers of ARCHITECTURE.md: the import-linter contracts in pyproject.toml ([tool.importlinter]).
layers: setup-test
	$(BIN)/lint-imports --no-cache

# Known vulnerabilities of the locked versions, from PyPI's vulnerability data. A dependency it
# cannot look up is listed as "could not be audited"; AUDIT_ARGS=--strict makes that an error.
audit: setup-test
	$(BIN)/pip-audit --disable-pip --require-hashes --progress-spinner off -r $(TEST_LOCK) $(AUDIT_ARGS)

check: fmt-check lint typecheck layers audit test  ## what CI runs

# After changing the dependencies in pyproject.toml: `make lock` pins what is new and keeps the
# other pins; `make lock-upgrade` moves every pin to the newest allowed version. The test lock is
# constrained by the main one, so both install the same versions.
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe \
	--strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
lock: $(BIN)/python
	$(BIN)/pip install --quiet "pip-tools>=7.5,<8"
	$(PIP_COMPILE) --output-file $(LOCK) pyproject.toml
	$(PIP_COMPILE) --extra test --constraint $(LOCK) --output-file $(TEST_LOCK) pyproject.toml

lock-upgrade:
	$(MAKE) lock LOCK_ARGS=--upgrade

messages: setup  ## after changing user-facing strings: update, translate, then `make messages` again
	cd switchboard && ../$(BIN)/python ../manage.py makemessages -l pl --no-location --ignore 'tests/*' --ignore '*/tests/*'
	cd switchboard && ../$(BIN)/python ../manage.py compilemessages

clean:
	rm -rf $(VENV) var/test
