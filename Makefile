# contract-review — the two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO   := data/demo

.PHONY: install run demo test test-quick eval bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

## make run: set up, build the demo batch, process it and print the per-file summary
run: install
	$(BIN)/contract-review demo --out $(DEMO)
	$(BIN)/contract-review check $(DEMO)

## make test: install what the tests need and run them all (pytest exits non-zero on "no tests")
test: install
	$(BIN)/python -m pytest -q

## make test-quick: skip the tests that run the real OCR models
test-quick: install
	$(BIN)/python -m pytest -q -m "not ocr and not slow"

eval:
	@echo "make eval: not implemented yet (issue 3: corpus generator and evaluation harness)" >&2; exit 1

## make bench: seconds per page for a digital and a 300-dpi scanned PDF page, stage shares, peak memory
bench: install
	$(BIN)/contract-review bench

clean:
	rm -rf $(VENV) data build *.egg-info .pytest_cache
