# Two commands for a fresh machine with Python 3.10+:
#   make lab    create .venv, install everything, open JupyterLab on notebooks/
#   make test   the same environment, then the unit tests and nbval over every notebook in fast mode
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: lab test test-full lint unit mutation execute zh zh-update perf binder-perf bench binder-check browser-test clean

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt -e '.[dev]'
	touch $@

# Jupyter refuses to run as root unless told; root is the usual user in a container.
lab: $(STAMP)
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/

# Unit tests, then every notebook under nbval in fast mode (fewer epochs, less data): a few minutes.
# Cells whose numbers depend on the mode carry NBVAL_IGNORE_OUTPUT; every other output is compared.
# Two pytest workers (pytest-xdist), each notebook whole in one of them (--dist loadscope), one
# PyTorch thread each, so that the two share a 2-core machine without oversubscribing it.
test: lint $(STAMP)
	OMP_NUM_THREADS=1 MIXUP_EDU_FAST=1 $(BIN)/python -m pytest -n 2 --dist loadscope --nbval --nbval-current-env tests notebooks

# ruff (lint and format) and mypy over the package and the scripts; settings in pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check mixup_edu scripts
	$(BIN)/ruff format --check mixup_edu scripts
	$(BIN)/mypy

# Every notebook in full mode, the mode their stored outputs come from (about 10 minutes on 2 cores), on one
# PyTorch thread as they were executed (scripts/execute_notebooks.py says why).
test-full: $(STAMP)
	OMP_NUM_THREADS=1 MIXUP_EDU_FAST=0 $(BIN)/python -m pytest --nbval --nbval-current-env --nbval-cell-timeout=3600 notebooks

unit: $(STAMP)
	$(BIN)/python -m pytest tests

# Mutation testing of the teaching core (mixing, CutMix, targets, losses, Manifold Mixup, metrics, data,
# exercises) with mutmut, pinned here so that make test does not need it; settings in pyproject.toml's
# [tool.mutmut]. A fresh run in mutants/ (an interrupted one resumes with $(BIN)/mutmut run); about 15 minutes
# on 2 cores, so not part of CI. It prints the counts and every surviving mutant; docs/quality.md explains them.
MUTMUT_VERSION := 3.8.1
mutation: $(STAMP)
	$(BIN)/python -m pip install mutmut==$(MUTMUT_VERSION)
	rm -rf mutants
	PATH="$(abspath $(BIN)):$$PATH" OMP_NUM_THREADS=1 $(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut export-cicd-stats
	cat mutants/mutmut-cicd-stats.json
	$(BIN)/mutmut results | grep -v ': caught by type check$$' || true

# Re-execute every notebook in full mode and store its outputs (run before committing a notebook).
execute: $(STAMP)
	$(BIN)/python scripts/execute_notebooks.py notebooks/*.ipynb notebooks/solutions/*.ipynb

# The zh-CN notebooks, built from the English ones and translations/zh-CN/*.po: code and stored outputs are
# copied, the text translated. It fails, naming each notebook and cell, while an entry is missing or fuzzy.
zh: $(STAMP)
	$(BIN)/python scripts/zh.py build

# After an English text changes: new entries (empty) and changed ones (fuzzy, old translation kept) in the catalogs.
zh-update: $(STAMP)
	$(BIN)/python scripts/zh.py update

# Wall time and peak memory of every notebook, full and fast mode, into docs/performance.md.
perf: $(STAMP)
	$(BIN)/python scripts/perf_notebooks.py --out docs/performance.md

# The notebooks and a training step inside a cgroup with Binder's limits (1 CPU, 2 GB); needs root.
binder-perf: $(STAMP)
	$(BIN)/python scripts/binder_sim.py --out docs/performance.md

# Mixing vs torchvision and training-step overhead, side by side (prints a table; JSON in bench.json).
bench: $(STAMP)
	$(BIN)/python -m mixup_edu bench --json bench.json

# A Binder-like install: a fresh venv from binder/requirements.txt alone (without the CPU
# wheel index, which CI cannot reach), then notebook 01 executed and checked in it.
BINDER_VENV ?= .binder-venv
binder-check:
	rm -rf $(BINDER_VENV)
	$(PYTHON) -m venv $(BINDER_VENV)
	grep -v -- '--extra-index-url' binder/requirements.txt > $(BINDER_VENV)/requirements.txt
	$(BINDER_VENV)/bin/python -m pip install -r $(BINDER_VENV)/requirements.txt
	$(BINDER_VENV)/bin/python -m pytest -p no:cacheprovider --nbval --nbval-current-env notebooks/01_mixup_formula.ipynb

# Every notebook run through JupyterLab's UI in headless Chromium, in fast mode (needs Debian's
# chromium, and CJK fonts for the zh-CN notebooks: apt-get install chromium fonts-noto-cjk; .ci/run
# installs them). Writes one screenshot per notebook to docs/browser/.
# A subset: $(BIN)/python scripts/browser_test.py notebooks/01_mixup_formula.ipynb
browser-test: $(STAMP)
	$(BIN)/python -m pip install 'playwright>=1.40,<2'
	$(BIN)/python scripts/browser_test.py

clean:
	rm -rf $(VENV) $(BINDER_VENV) .pytest_cache .hypothesis mutants
