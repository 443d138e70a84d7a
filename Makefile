# One command for the main job and one for the tests (see README.md).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: install demo serve test bench

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install  ## set up demo data in ./crisisdrill.db and serve on http://127.0.0.1:8000
	$(VENV)/bin/crisisdrill demo $(ARGS)

serve: install  ## bring the database (DATABASE_URL, default ./crisisdrill.db) to the current schema, then serve
	$(VENV)/bin/crisisdrill db upgrade
	$(VENV)/bin/crisisdrill serve $(ARGS)

test: install  ## the whole suite: python -m pytest
	$(PY) -m pytest $(ARGS)
