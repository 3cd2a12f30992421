#!/usr/bin/env bash
# Try causal-web against Virtuoso, a SPARQL store that is not Oxigraph, the way the tests try
# Oxigraph: start a throw-away Virtuoso on loopback, `causal-web push` the bundled data into it,
# `causal-web serve --sparql-endpoint` on it beside an embedded `causal-web serve`, and compare
# a few answers of the two. Prints what matched and what did not; exits 1 if anything differed.
#
#   bash scripts/try-remote-store.sh            # installs Debian's virtuoso-opensource if missing
#
# Not part of CI: it needs root (or sudo) for apt, and Virtuoso takes a while to start.
# Everything lives in a temporary folder and every process it starts is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
[ -x "$PY" ] || { echo "run scripts/test.sh (or create .venv with the test extras) first" >&2; exit 2; }

if ! command -v virtuoso-t >/dev/null 2>&1; then
  echo "== installing Debian's virtuoso-opensource"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends virtuoso-opensource >/dev/null
fi

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() {  # URL SECONDS WHAT
  for _ in $(seq 1 $(($2 * 5))); do
    if "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$1" 2>/dev/null; then
      return 0
    fi
    sleep 0.2
  done
  echo "$3 did not answer at $1 within $2 s" >&2
  return 1
}

sql_port=$(free_port)
http_port=$(free_port)
cat >"$work/virtuoso.ini" <<EOF
[Database]
DatabaseFile = $work/virtuoso.db
ErrorLogFile = $work/virtuoso.log
LockFile = $work/virtuoso.lck
TransactionFile = $work/virtuoso.trx
xa_persistent_file = $work/virtuoso.pxa
[TempDatabase]
DatabaseFile = $work/virtuoso-temp.db
TransactionFile = $work/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:$sql_port
DisableUnixSocket = 1
DirsAllowed = ., $work
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:$http_port
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 10
[SPARQL]
ResultSetMaxRows = 10000
MaxQueryExecutionTime = 30
EOF

echo "== starting Virtuoso ($(virtuoso-t -? 2>&1 | head -1 | tr -s ' ')) on 127.0.0.1:$http_port"
(cd "$work" && exec virtuoso-t +foreground +configfile "$work/virtuoso.ini" >"$work/virtuoso.out" 2>&1) &
pids+=($!)
endpoint="http://127.0.0.1:$http_port/sparql"
wait_for "$endpoint?query=ASK%7B%7D" 180 Virtuoso || { tail -20 "$work/virtuoso.out" >&2; exit 1; }
# The anonymous SPARQL user may update (this store is throw-away and on loopback only).
isql-vt "127.0.0.1:$sql_port" dba dba exec='GRANT SPARQL_UPDATE TO "SPARQL"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('"'"'nobody'"'"', 7);' >/dev/null

echo "== causal-web push --endpoint $endpoint"
"$PY" -m causal_web push --endpoint "$endpoint"

remote_port=$(free_port)
embedded_port=$(free_port)
echo "== causal-web serve --sparql-endpoint $endpoint (port $remote_port), and embedded (port $embedded_port)"
"$PY" -m causal_web serve --port "$remote_port" --sparql-endpoint "$endpoint" >"$work/remote.log" 2>&1 &
pids+=($!)
"$PY" -m causal_web serve --port "$embedded_port" >"$work/embedded.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$remote_port/health" 180 "serve --sparql-endpoint" || { cat "$work/remote.log" >&2; exit 1; }
wait_for "http://127.0.0.1:$embedded_port/health" 180 "serve" || { cat "$work/embedded.log" >&2; exit 1; }

echo "== comparing answers"
"$PY" - "http://127.0.0.1:$remote_port/" "http://127.0.0.1:$embedded_port/" <<'EOF'
import sys

import httpx
from rdflib import Graph
from rdflib.compare import isomorphic

remote, embedded = sys.argv[1:]
CW = "https://w3id.org/causal-web/ns#"
R21_016 = "<https://w3id.org/causal-web/cmocs/R21-016>"
checks = [  # (path, query parameters, how to compare)
    ("/cmocs", {"mechanism": "trust"}, "json"),
    ("/cmocs", {"phase": "evaluation-2022", "kind": "all"}, "json"),
    ("/chains", {"from": "shared-vision", "to": "task-achievement"}, "json"),
    ("/cmocs/R21-016", {}, "json"),
    ("/cmocs/R21-016", {"format": "ttl"}, "turtle"),
    ("/concepts/trust", {}, "json"),
    ("/sparql", {"query": f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a <{CW}CMOC> }}"}, "json"),
    ("/sparql", {"query": f"SELECT ?c WHERE {{ ?c a <{CW}CMOC> }} ORDER BY ?c LIMIT 10"}, "json"),
    ("/sparql", {"query": f"ASK {{ {R21_016} a <{CW}CMOC> }}"}, "json"),
    ("/sparql", {"query": f"CONSTRUCT {{ {R21_016} ?p ?o }} WHERE {{ {R21_016} ?p ?o }}", "format": "nt"}, "nt"),
]
failed = 0
for path, params, kind in checks:
    a = httpx.get(remote + path.lstrip("/"), params=params, timeout=60)
    b = httpx.get(embedded + path.lstrip("/"), params=params, timeout=60)
    note = ""
    if a.status_code != 200 or b.status_code != 200:
        same = False
        note = f"status {a.status_code} (remote) / {b.status_code} (embedded): {a.text[:300]}"
    elif kind == "json":
        same = a.json() == b.json()
        if not same:
            note = f"remote {a.text[:300]} / embedded {b.text[:300]}"
    else:
        same = isomorphic(Graph().parse(data=a.text, format=kind), Graph().parse(data=b.text, format=kind))
    failed += not same
    shown = path + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")
    print(f"{'same     ' if same else 'DIFFERENT'} {shown[:110]} {note}")
print(f"{len(checks) - failed} same, {failed} different")
sys.exit(1 if failed else 0)
EOF
