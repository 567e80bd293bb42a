# NormScope: `make demo` sets up and runs the main job; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV ?= .venv
CORPORA ?= $(or $(NORMSCOPE_CORPORA),../shared/corpora)
HOME_DIR ?= .normscope
BIN := $(VENV)/bin

.PHONY: setup demo test lint clean browser

$(BIN)/normscope: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# The CPU build of PyTorch, pinned: an unpinned torch would pull a multi-GB CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(BIN)/normscope

setup: $(BIN)/normscope

REPORTS ?= reports

demo: setup
	$(BIN)/normscope --home $(HOME_DIR) ingest $(CORPORA) || true
	$(BIN)/normscope --home $(HOME_DIR) docs
	$(BIN)/normscope --home $(HOME_DIR) docs --themes
	mkdir -p $(REPORTS)
	$(BIN)/normscope --home $(HOME_DIR) compare nist-ai-100-1-ai-rmf-1-0 --out $(REPORTS)/nist-ai-rmf-vs-eu-ai-act.html
	$(BIN)/normscope --home $(HOME_DIR) compare nist-ai-100-1-ai-rmf-1-0 --out $(REPORTS)/nist-ai-rmf-vs-eu-ai-act.md
	$(BIN)/normscope --home $(HOME_DIR) compare tc260-003-2024-genai-service-basic-security-requirements-zh \
		--out $(REPORTS)/tc260-003-vs-eu-ai-act.html
	@echo "Comparison reports: $(REPORTS)/nist-ai-rmf-vs-eu-ai-act.html (and .md), $(REPORTS)/tc260-003-vs-eu-ai-act.html"

lint: setup
	$(BIN)/ruff check pipeline tests bench
	$(BIN)/mypy

# Headless Chromium (Debian's package) for the HTML report check in tests/test_reports.py, and a
# CJK font so Chinese clauses render in its screenshots.
browser:
	@command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q . || { \
		SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium fonts-wqy-zenhei; }

test: lint browser
	HF_HUB_OFFLINE=1 NORMSCOPE_CORPORA=$(CORPORA) $(BIN)/pytest -q

clean:
	rm -rf $(VENV) $(HOME_DIR) $(REPORTS) .pytest_cache .mypy_cache .ruff_cache
