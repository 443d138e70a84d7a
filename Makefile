# One command for the main job and one for the tests (see README.md).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: install build demo serve test bench

# the scorer's hot modules, compiled to C with mypyc (scoring/_native.py): rebuilt whenever one of them changes
NATIVE := scoring/_text.py scoring/analysis.py scoring/lexicon.py scoring/learned.py scoring/pii.py \
          scoring/scorer.py scoring/criteria/_lex.py

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

$(VENV)/.compiled: $(VENV)/.installed scoring/_native.py $(NATIVE)
	$(PY) scoring/_native.py
	touch $@

install: $(VENV)/.installed $(VENV)/.compiled

build: install  ## recompile the scorer's hot modules (after editing one: `import scoring` refuses stale ones)

demo: install  ## set up demo data in ./crisisdrill.db and serve on http://127.0.0.1:8000
	$(VENV)/bin/crisisdrill demo $(ARGS)

serve: install  ## bring the database (DATABASE_URL, default ./crisisdrill.db) to the current schema, then serve
	$(VENV)/bin/crisisdrill db upgrade
	$(VENV)/bin/crisisdrill serve $(ARGS)

test: install  ## the whole suite: python -m pytest
	$(PY) -m pytest $(ARGS)
