#!/usr/bin/env bash
# Set up everything the tests need on a fresh Debian machine with Python 3.11, then run them.
# Used by the README's quick start and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v dot >/dev/null 2>&1 || need_apt+=(graphviz)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing Debian packages: ${need_apt[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" fonts-dejavu-core >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  "$PY" -m venv .venv
fi
echo "== installing causal-web with its test extras"
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[test]"

echo "== ruff"
.venv/bin/ruff check causal_web api viz bench tests
echo "== pytest"
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ $status -eq 5 ]; then
  echo "pytest collected no tests: that is a failure here" >&2
  exit 1
fi
# The API suite a second time, served from a real Oxigraph server (the `oxigraph` CLI of the
# test extras) instead of the embedded store: tests/api/api_fixtures.py starts it, pushes the
# bundled data and builds the app with causal_web.remote.load_remote. Skipped when arguments
# narrow the main run, or with CAUSAL_WEB_SKIP_REMOTE=1.
remote_status=0
if [ $# -eq 0 ] && [ -z "${CAUSAL_WEB_SKIP_REMOTE:-}" ]; then
  echo "== pytest tests/api against a real Oxigraph server (CAUSAL_WEB_TEST_STORE=oxigraph)"
  set +e
  CAUSAL_WEB_TEST_STORE=oxigraph .venv/bin/python -m pytest tests/api
  remote_status=$?
  set -e
  if [ $remote_status -eq 5 ]; then
    echo "pytest collected no API tests for the Oxigraph run: that is a failure here" >&2
    remote_status=1
  fi
fi
if [ $status -ne 0 ]; then
  exit $status
fi
exit $remote_status
