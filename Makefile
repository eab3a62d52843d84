# NoticeDesk: `make run` starts the app, `make test` runs the whole suite. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench dist dist-check clean ocr

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Offline OCR of scanned PDFs and photos (optional extra: onnxruntime + opencv, ~150 MB installed).
ocr: $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,ocr]'

run: $(STAMP)
	$(PY) -m desktop

# The storage tests run on SQLite AND on PostgreSQL (tests/storage/conftest.py): without
# NOTICEDESK_TEST_PG_URL this starts the throw-away loopback server of .ci/start-postgres.sh.
test: $(STAMP)
	@url="$${NOTICEDESK_TEST_PG_URL:-}"; \
	if [ -z "$$url" ]; then \
	    url=$$(.ci/start-postgres.sh) || { \
	        echo "make test: could not start the PostgreSQL test server (.ci/start-postgres.sh): the storage" >&2; \
	        echo "tests run on SQLite and on PostgreSQL. Install the server (sudo apt-get install postgresql, then" >&2; \
	        echo "make test again), or point at one: NOTICEDESK_TEST_PG_URL=postgresql+psycopg://user@host:port/db make test." >&2; \
	        echo "SQLite half only: QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m 'not postgresql'" >&2; \
	        exit 1; }; \
	fi; \
	echo "PostgreSQL for the storage tests: $$url"; \
	NOTICEDESK_TEST_PG_URL="$$url" QT_QPA_PLATFORM=offscreen $(PY) -m pytest
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
