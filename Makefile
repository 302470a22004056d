# contract-review — the two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO   := data/demo

.PHONY: install run demo test test-quick eval eval-legacy eval-real bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

## make run: set up, build the demo batch, load it into the review store (two townships, demo
## accounts printed) and serve the review app on http://localhost:8501
PORT ?= 8501
run: install
	$(BIN)/contract-review demo --out $(DEMO) --load
	$(BIN)/contract-review serve --port $(PORT)

## make test: install what the tests need and run them all (pytest exits non-zero on "no tests")
test: install
	$(BIN)/python -m pytest -q

## make test-quick: skip the tests that run the real OCR models
test-quick: install
	$(BIN)/python -m pytest -q -m "not ocr and not slow"

## make eval: generate the fixed-seed held-out test corpus (200 agreements over text, Word, PDF,
## scans and photos, with the real-shaped families: 1980s forms, parties in running text,
## traditional script, minutes, listing notices, receipts; reused when already there) and run the
## whole pipeline over it
EVAL_DIR  := data/eval-test-s20261121-n200-real
eval: install
	@test -f $(EVAL_DIR)/manifest.json || $(BIN)/contract-review corpus generate --out $(EVAL_DIR) \
		--n 200 --seed 20261121 --split test --as-of 2026-11-21
	$(BIN)/contract-review eval --corpus $(EVAL_DIR) --split test --workers 2 --out $(EVAL_DIR)/report.json

## make eval-legacy: the same on the corpus as generated before the real-shaped families (--mix
## legacy, byte-identical to the earlier make eval corpus): the like-for-like regression check
EVAL_LEGACY_DIR := data/eval-test-s20261121-n200
eval-legacy: install
	@test -f $(EVAL_LEGACY_DIR)/manifest.json || $(BIN)/contract-review corpus generate --out $(EVAL_LEGACY_DIR) \
		--n 200 --seed 20261121 --split test --as-of 2026-11-21 --mix legacy
	$(BIN)/contract-review eval --corpus $(EVAL_LEGACY_DIR) --split test --workers 2 --out $(EVAL_LEGACY_DIR)/report.json

## make eval-real: the real-document scorer (../shared/real-dev/score.py beside the checkout) run with
## this CLI — per-file rows, per-field table, check line — plus the risk score's ROC AUC, the share of
## irregular files in the top fifth and lawful land contracts proposed void; tests/data/real too when
## it exists. Reports under data/eval-real/.
eval-real: install
	$(BIN)/python -m contract_review.eval_real --cli $(BIN)/contract-review --jobs 2

## make bench: speed and memory side by side in one run (table + data/bench/report.json): scanned
## pages (pipeline vs raw RapidOCR vs Tesseract chi_sim, installed from Debian when missing),
## digital pages (pipeline vs pdfplumber vs pypdfium2), `extract` of a text page, a 1,000-agreement
## batch (1 vs 2 workers), side contracts over 5k/20k/50k records. BENCH_ARGS="--only scans" or
## "--skip batch" or "--resume" to run part of it.
bench: install
	$(BIN)/contract-review bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) data build *.egg-info .pytest_cache
