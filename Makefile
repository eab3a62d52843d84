# NoticeDesk: `make run` starts the app, `make test` runs the whole suite. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench dist dist-check clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m desktop

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest
	$(PY) -m ruff check desktop tests bench

lint: $(STAMP)
	$(PY) -m ruff check desktop tests bench

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) bench/run_all.py

dist: $(STAMP)
	$(PY) -m pip install --quiet "pyinstaller>=6.10,<7"
	PY=$(PY) bash installer/build_linux.sh

dist-check: dist
	bash installer/smoke_test.sh

clean:
	rm -rf $(VENV) build dist *.egg-info
