# Two commands: `make run` (the app with demo data on embedded defaults) and `make test` (the suite).
# Each does its own set-up: a virtualenv in .venv with the dependencies of pyproject.toml.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint setup browser gettext messages clean

setup: $(STAMP)

$(STAMP): pyproject.toml package.json package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	npm ci --no-audit --no-fund  # axe-core for the accessibility tests (node_modules/)
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	@echo ""
	@echo "  MesoClinic: http://127.0.0.1:8000"
	@echo "  Demo logins (password meso-demo-2026): reception, nurse, physician, manager"
	@echo "  physician and manager also need a 6-digit code: .venv/bin/python manage.py demo_code physician"
	@echo "  Emails are written to var/mail/. Stop everything with Ctrl-C."
	@echo ""
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.dev start

# Browser tests drive Debian's chromium; install it when missing (needs root, as on CI machines).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

# `make messages` and tests/test_translations.py run makemessages, which needs GNU gettext (Debian's package;
# root, as above).
gettext:
	@command -v xgettext >/dev/null 2>&1 || { \
	  echo "Installing Debian's gettext for the translation tests"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q gettext; }

# Translations: locale/tr/LC_MESSAGES/django.po is the only home of the Turkish texts (edit it by hand,
# in Poedit or Weblate). `make messages` adds new marked texts to it, drops texts no longer marked, keeps
# every translation, and compiles the .mo that is committed beside it (README, "Translations").
# tests/test_translations.py runs makemessages with these same flags (it reads them from this file).
MAKEMESSAGES_FLAGS := --locale=tr --no-obsolete --add-location=file \
  --ignore=node_modules --ignore=var --ignore=staticfiles --ignore=tests --ignore=scripts '--ignore=*.egg-info'
COMPILEMESSAGES_FLAGS := --locale=tr --ignore=.venv --ignore=node_modules

messages: $(STAMP) gettext
	$(BIN)/python manage.py makemessages $(MAKEMESSAGES_FLAGS)
	$(BIN)/python manage.py compilemessages $(COMPILEMESSAGES_FLAGS)

test: $(STAMP) browser gettext
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports  # imports go one way: overview -> aftercare -> treatments -> patients -> core
	$(BIN)/mypy  # types, with django-stubs (pyproject.toml's [tool.mypy]); loads the settings, needs no database
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var
