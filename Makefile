# Two commands for a newcomer: `make demo` and `make test`.  Both are idempotent.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# pywb replays the scan's WACZ in the tests; it pins libraries older than the auditor's, so
# it lives in a virtualenv of its own
PYWB_VENV  := .venv-pywb
PYWB_STAMP := $(PYWB_VENV)/.installed
DEMO_OUT ?= demo-reports
export DEBIAN_FRONTEND := noninteractive

# Debian packages: a Chromium for the browser stage, a CJK font so screenshots show
# Chinese, the servers the scale-out tests start themselves on loopback ports, and Node.js
# for ESLint over the browser stage's in-page scripts.
DEB_PACKAGES := chromium fonts-noto-cjk redis-server rabbitmq-server postgresql nodejs npm poppler-utils
JS_STAMP := node_modules/.installed

.PHONY: install system-deps demo serve test bench bench-web eval lint-js clean

install: system-deps $(STAMP) $(JS_STAMP) $(PYWB_STAMP)

system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -qi 'noto.*cjk\|wqy' || missing="$$missing fonts-noto-cjk"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	test -x /usr/lib/rabbitmq/bin/rabbitmq-server || missing="$$missing rabbitmq-server"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -q && apt-get install -y -q --no-install-recommends $$missing; \
	  else \
	    echo "missing system packages:$$missing (run as root, or: sudo apt-get install -y$$missing)"; \
	  fi; \
	fi

# constraints.txt pins every dependency (and theirs) to the versions the suite passes with.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test]'
	touch $(STAMP)

# ESLint for auditor/browser/scripts/*.js, exactly as package-lock.json pins it.
$(JS_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(JS_STAMP)

lint-js: $(JS_STAMP)
	npm run --silent lint

$(PYWB_STAMP): constraints-pywb.txt
	test -x $(PYWB_VENV)/bin/python || $(PYTHON) -m venv $(PYWB_VENV)
	$(PYWB_VENV)/bin/python -m pip install -q -c constraints-pywb.txt pywb
	touch $(PYWB_STAMP)

demo: install
	$(BIN)/cardshop-audit demo --out $(DEMO_OUT)

# the buyers' web page on http://127.0.0.1:8000/ (SERVE_ARGS: e.g. --host 0.0.0.0 --slots 4)
serve: install
	$(BIN)/cardshop-audit serve $(SERVE_ARGS)

# Three workers (pytest-xdist), whole files per worker; PYTEST_ARGS= runs in one process.
# Three on two cores: with two, the suite used about half of the CPU (its tests wait on CLI
# children, servers, brokers and timers); a third worker fills those waits.
PYTEST_ARGS ?= -n 3 --dist loadfile
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m bench

# 50 clients submitting and polling at once against `serve` (bench/web.py)
bench-web: install
	$(BIN)/python -m bench web

# clause recognition on the test split of the shipped corpus (baseline beside current)
eval: install
	$(BIN)/python -m cardshop_auditor.extract.clause_eval

clean:
	rm -rf $(VENV) $(PYWB_VENV) $(DEMO_OUT) build dist *.egg-info .pytest_cache node_modules
