# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
INPUT ?= data/sample
OUTPUT ?= out/sample
WORKERS ?= 2

export PREFECT_HOME ?= $(CURDIR)/.prefect
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 180
# a run's logs reach the Prefect UI at INFO; the terminal shows warnings only (its own summary
# and progress bar are printed, not logged)
export PREFECT_LOGGING_LEVEL ?= INFO
export PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL ?= WARNING

.PHONY: setup run doctor compact bench-history server server-stop test test-fast lint format bench bench-dedup eval eval-dedup train-pagetype serve sample clean

setup: $(STAMP)

# the Python the project needs (pyproject's requires-python); a .venv made by another one is
# rebuilt (its stamp is out of date whatever its time)
VENV_PYTHON := $(shell $(PY) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
ifneq ($(VENV_PYTHON),)
ifneq ($(VENV_PYTHON),3.11)
.PHONY: $(STAMP)
endif
endif

# pip 23.2 cannot resolve lxml's extras: upgrade pip inside the venv first.
$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (or make PYTHON=...)"; exit 1; }
	@if [ -x $(PY) ] && [ "$$($(PY) -c 'import sys; print("%d.%d" % sys.version_info[:2])')" != 3.11 ]; then \
	  echo "$(VENV) was made by Python $$($(PY) -c 'import platform; print(platform.python_version())'), not 3.11: rebuilding it with $(PYTHON)"; \
	  rm -rf $(VENV); \
	fi
	@test -x $(PY) || { echo "creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	@echo "installing the pinned dependencies into $(VENV) (pyproject.toml; a few minutes the first time) ..."
	@$(PY) -m pip install -q --upgrade pip
	@$(PY) -m pip install -q -e '.[dev]'
	@echo "installed: $$($(PY) -m pip list --format=freeze 2>/dev/null | wc -l) packages in $(VENV)"
	@mkdir -p $(PREFECT_HOME)
	@touch $(STAMP)

# the Prefect server of a run: `make server`'s when it runs (its pid file, and it answers); else
# (SERVER=auto) the one kept under PREFECT_HOME for later runs, started by the first run and
# stopped SERVER_IDLE seconds after the last (flows/api_server.py); SERVER=none: a temporary
# server for this run alone. `make server-stop` stops either kind.
SERVER ?= auto
SERVER_IDLE ?= 900
# options passed to the run as they are, e.g. LOCK=--wait or LOCK="--lock-timeout 600" (OUTPUT's
# lock), ARGS="--set clean.min_words=60"
LOCK ?=
ARGS ?=
run: $(STAMP)
	@mkdir -p $(PREFECT_HOME)
	@if [ "$(SERVER)" != none ] && [ -z "$$PREFECT_API_URL" ] && [ -f "$(PREFECT_HOME)/server.pid" ]; then \
	  url="http://127.0.0.1:$$(cut -d' ' -f2 "$(PREFECT_HOME)/server.pid")/api"; \
	  if curl -sf -m 2 -o /dev/null "$$url/health"; then export PREFECT_API_URL="$$url"; fi; \
	fi; \
	keep="$$([ "$(SERVER)" != none ] && [ -z "$$PREFECT_API_URL" ] && echo " --keep-server $(SERVER_IDLE)")$(if $(strip $(LOCK) $(ARGS)), $(strip $(LOCK) $(ARGS)))"; \
	echo "$(PY) -m flows run --input \"$(INPUT)\" --output \"$(OUTPUT)\" --workers $(WORKERS)$$keep$${PREFECT_API_URL:+  (server $$PREFECT_API_URL)}"; \
	$(PY) -m flows run --input "$(INPUT)" --output "$(OUTPUT)" --workers $(WORKERS)$$keep; \
	code=$$?; case $$code in 0) what="done";; 1) what="the run failed";; 2) what="bad option or setting";; \
	  75) what="OUTPUT is locked by another run: try again later";; 130) what="interrupted";; *) what="unexpected";; esac; \
	echo "exit $$code: $$what (make itself exits 2 on any failure: a scheduler runs the command above directly)" >&2; exit $$code

# move OUTPUT's corrupt state files aside (flows/doctor.py), under its lock
doctor: $(STAMP)
	$(PY) -m flows doctor --output "$(OUTPUT)"

# rewrite OUTPUT's small files as few (flows/compact.py, docs/compaction.md), under its lock
compact: $(STAMP)
	$(PY) -m flows compact --output "$(OUTPUT)" $(ARGS)

# a 20-page run and a nothing-new run against a synthetic history of RUNS runs, before and
# after `make compact` (benchmarks/bench_history.py; minutes)
RUNS ?= 500
bench-history: $(STAMP)
	$(PY) -m benchmarks.bench_history --runs $(RUNS) $(BENCH_ARGS)

# a local Prefect server kept for later runs (`make run` uses it); SERVER_PORT=4210
SERVER_PORT ?= 4210
server: $(STAMP)
	@mkdir -p $(PREFECT_HOME)
	$(PY) -m flows server start --port $(SERVER_PORT)

server-stop:
	$(PY) -m flows server stop

test: $(STAMP)
	@mkdir -p $(PREFECT_HOME)
	$(PY) -m pytest -q

test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not slow"

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

PEER_VENV := .venv-datatrove
# the whole `make run` (and the flow alone) on ~2,000 dev pages and ~2,000 light ones against a
# one-core trafilatura loop and the datatrove peer; BENCH_ARGS=--large adds ~20,000 pages (long)
bench: $(STAMP) $(PEER_VENV)/.installed
	$(PY) -m benchmarks.bench --datatrove-python $(PEER_VENV)/bin/python $(BENCH_ARGS)

# the bench's peer in a venv of its own (datatrove's `processing` extra pins trafilatura 1.x):
# the project's trafilatura and pyarrow; lxml_html_clean because pip skips lxml's extra
$(PEER_VENV)/.installed:
	$(PYTHON) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/pip install -q --upgrade pip
	$(PEER_VENV)/bin/pip install -q datatrove==0.10.1 trafilatura==2.3.1 pyarrow==26.0.1 \
	  orjson==3.13.0 lxml_html_clean==0.4.7
	touch $@

# signatures and candidate search at 100k and 1M synthetic documents vs datasketch (minutes)
bench-dedup: $(STAMP)
	$(PY) -m benchmarks.bench_dedup --sizes 100000,1000000 --datasketch 100000

eval: $(STAMP)
	$(PY) -m benchmarks.eval --jobs 2

train-pagetype: $(STAMP)
	$(PY) -m benchmarks.train_pagetype

eval-dedup: $(STAMP)
	$(PY) -m benchmarks.eval_dedup

serve: $(STAMP)
	@mkdir -p $(PREFECT_HOME)
	$(PY) -m flows serve --input "$(INPUT)" --output "$(OUTPUT)"

sample: $(STAMP)
	$(PY) scripts/make_sample_corpus.py data/sample

clean:
	rm -rf out .prefect .pytest_cache .ruff_cache
