# Luoshi set-up. Two commands do everything on a fresh Debian/Ubuntu machine:
#   make demo   set up, build the demo district, serve it on http://127.0.0.1:8000
#   make test   set up, then run the whole test suite (DATABASE_URL picks the database)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# System packages: Chromium for browser tests, CJK fonts (Noto; AR PL UKai for 楷体), Liberation
# (Times New Roman's widths) and Pango for PDFs, gettext for the Chinese translations, LibreOffice's
# Writer to check every Word copy in a real office suite. Installed only when missing and we are root.
SYSTEM_PACKAGES := chromium fonts-noto-cjk fonts-arphic-ukai fonts-liberation2 libpango-1.0-0 libpangoft2-1.0-0 gettext poppler-utils libreoffice-writer-nogui

.PHONY: demo test reliability system venv assets messages translations lint clean

demo: venv assets messages
	$(BIN)/luoshi demo

test: system venv assets messages
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# Fuzzing, faults, surge and soak (about an hour; docs/RELIABILITY.md). The bench scripts build
# the demo district in a scratch SQLite database, or, with DATABASE_URL set, in that PostgreSQL
# database, which they EMPTY first: give them one of their own.
SOAK_MINUTES ?= 30
reliability: system venv assets messages
	$(BIN)/pip install -q -e '.[dev,reliability]'
	HYPOTHESIS_PROFILE=reliability $(BIN)/python -m pytest -q luoshi/tests/test_fuzz_imports.py \
	  luoshi/tests/test_access_matrix.py luoshi/accounts/tests/test_rate_limits.py \
	  luoshi/tests/test_database_down.py luoshi/tests/test_disk_full.py luoshi/ops
	$(BIN)/python bench/fuzz_api.py
	$(BIN)/python bench/faults.py
	$(BIN)/python bench/surge.py --workers 4 --job-workers 2
	$(BIN)/python bench/soak.py --minutes $(SOAK_MINUTES)

system:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "please install:$$missing (sudo apt-get install$$missing)"; fi; \
	fi

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

assets: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

messages: venv
	@command -v msgfmt >/dev/null || $(MAKE) system
	cd luoshi && ../$(BIN)/django-admin compilemessages --ignore=.venv -v 0

lint: venv
	$(BIN)/ruff check luoshi tools bench
	$(BIN)/ruff format --check luoshi tools bench

clean:
	rm -rf $(VENV) node_modules var

# After changing UI text: collect the strings, fill Chinese from tools/zh_hans.py, compile.
translations: venv
	cd luoshi && ../$(BIN)/django-admin makemessages -l zh_Hans --ignore=migrations -v 0
	$(BIN)/python tools/zh_hans.py luoshi/locale/zh_Hans/LC_MESSAGES/django.po
	$(MAKE) messages
