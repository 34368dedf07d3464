# Astana–Ashgabat report. The two commands a newcomer needs:
#   make book    set up everything (Debian packages, Python, JavaScript) and build the HTML book
#   make test    set up everything and run the whole test suite (builds the book for real)
# Parameters for every chapter: make book PARAMS="as_of=2024-12-31"

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
# Debian packages: Chromium for the browser tests, XeLaTeX and fonts for the PDF, poppler for
# checking the PDF, DejaVu for the charts.
SYSTEM_PACKAGES := python3-venv chromium poppler-utils fonts-dejavu-core latexmk texlive-xetex \
  texlive-latex-extra texlive-fonts-recommended fonts-freefont-otf
PARAMS ?=
# Chapters executed at once; empty means one per available core.
JOBS ?=
BUILD_ARGS = $(foreach p,$(PARAMS),--param $(p)) $(if $(JOBS),--jobs $(JOBS))

.PHONY: book pdf setup system-packages test check bench lab lint format lock clean

book: setup
	$(BIN)/python -m bookbuild html $(BUILD_ARGS)

# The PDF, then the HTML again so that it offers the PDF for download.
pdf: setup
	$(BIN)/python -m bookbuild pdf $(BUILD_ARGS)
	$(BIN)/python -m bookbuild html $(BUILD_ARGS)

setup: system-packages $(VENV)/.installed node_modules/.installed

# Installs what is missing when run as root; otherwise stops and prints the command to run.
system-packages:
	@missing=""; \
	for package in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$package" 2>/dev/null | grep -q "install ok installed" \
	    || missing="$$missing $$package"; \
	done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -q --no-install-recommends $$missing; \
	  else \
	    echo "Missing Debian packages:$$missing"; \
	    echo "Install them with:  sudo apt-get install -y --no-install-recommends$$missing"; \
	    exit 1; \
	  fi; \
	fi

# Bytecode is compiled at install (as pip does, uv does not by default): with
# PYTHONDONTWRITEBYTECODE set, every kernel would otherwise compile pandas, Altair and the rest
# from source again, some 4 s of each chapter's run.
$(VENV)/.installed: requirements.lock pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

test: setup
	$(BIN)/python -m pytest

# The fast tier while working: the tests that build nothing (lint and types among them), in about
# a minute and a half (two mypy runs take most of it); `make test` runs them too, with the book,
# browser and PDF tests.
check: setup
	$(BIN)/python -m pytest -m "not book"

# Timings of cold, unchanged and one-dataset rebuilds, next to plain jupyter-book (prints figures).
bench: setup
	$(BIN)/python scripts/bench.py

# JupyterLab on the chapters, each opened as a notebook (jupytext), with the locked versions of
# everything the build uses; JupyterLab itself is installed at first use.
lab: setup
	$(BIN)/uv pip install --quiet --python $(BIN)/python -c requirements.lock -e ".[lab]"
	$(BIN)/jupyter lab chapters/

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Re-resolve the exact versions after changing dependencies in pyproject.toml: one lock for every
# Python the project supports (3.11 to 3.13, Debian's current one among them), with the hashes
# of each version's wheels.
lock: setup
	$(BIN)/uv pip compile pyproject.toml --extra test --universal --python-version 3.11 \
	  --generate-hashes --quiet -o requirements.lock

clean:
	rm -rf _build
