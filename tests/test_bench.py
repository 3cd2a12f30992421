"""The benchmark script's own logic: statistics, targets, the table, the load client.

Nothing here times the project: ``python -m bench --quick`` does that (about a minute, so CI
runs it directly rather than from pytest).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from bench.common import Target, fmt_ratio, fmt_seconds, geomean, percentile
from bench.report import build_rows, failed_targets, render_markdown
from bench.suite import aggregate


def test_percentile_and_geomean():
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([5], 95) == 5
    assert math.isnan(percentile([], 50))
    assert geomean([10, 1000]) == pytest.approx(100)
    assert math.isnan(geomean([]))


def test_formatting():
    assert fmt_seconds(0.0042) == "4.2 ms"
    assert fmt_seconds(12.34) == "12.3 s"
    assert fmt_ratio(123.4, lower_bound=True) == "> 123×"
    assert fmt_seconds(None) == "–"


def test_targets_pass_fail_and_info():
    assert Target("t", 4.0, "<=", 5.0, "", "").status == "pass"
    assert Target("t", 6.0, "<=", 5.0, "", "").status == "FAIL"
    assert Target("t", 60.0, ">=", 50.0, "", "", lower_bound=True).status == "pass"
    assert Target("t", None, ">=", 50.0, "", "").status == "FAIL"
    assert Target("t", 1.0, ">=", 50.0, "", "", applies=False).status == "info"


def test_aggregate_takes_medians_and_merges_errors():
    runs = [{"a": 1.0, "errors": {}}, {"a": 3.0, "errors": {"x": "boom"}}, {"a": 2.0, "errors": {}}]
    merged = aggregate(runs)
    assert merged["a"] == 2.0 and merged["a#min"] == 1.0 and merged["a#max"] == 3.0
    assert merged["errors"] == {"x": "boom"}
    assert merged["runs"] == 3


def _figures(**overrides):
    figures = {
        "load.10000.total_s": 5.0,
        "load.10000.load_s": 3.0,
        "load.10000.index_s": 2.0,
        "load.10000.peak_rss": 400 * 1024**2,
        "load.100000.total_s": 50.0,
        "load.100000.load_s": 30.0,
        "load.100000.index_s": 20.0,
        "load.100000.peak_rss": 3.5 * 1024**3,
        "sparql.size": 10000,
        "sparql.q.a.embedded": 0.01,
        "sparql.q.a.rdflib": 2.0,
        "sparql.q.a.timed_out": 0.0,
        "sparql.q.a.rows": 3,
        "sparql.q.a.rows_agree": 1.0,
        "sparql.q.b.embedded": 0.02,
        "sparql.q.b.rdflib": 20.0,
        "sparql.q.b.timed_out": 1.0,
        "sparql.q.b.rows": 5,
        "chains.bundled.p50": 0.001,
        "chains.bundled.p95": 0.002,
        "chains.bundled.mean_chains": 12.5,
        "chains.bundled.signed_share": 0.75,
        "chains.bundled.mean_weakest_bases": 1.5,
        "chains.bundled.nested_join_share": 0.2,
        "load.10000.evidence_items": 16000,
        "load.10000.nestings": 500,
        "http.bare.throughput.rps": 2000.0,
        "http.bare.latency.p50": 0.0005,
        "http.bare.latency.p99": 0.001,
        "http.cmocs.throughput.rps": 1500.0,
        "http.cmocs.latency.p50": 0.002,
        "http.cmocs.latency.p99": 0.004,
        "cli.stats_s": 0.2,
        "cli.deps_s": 0.15,
        "explorer.synthetic.settled_s": 2.0,
        "explorer.synthetic.nodes": 2000,
        "errors": {},
    }
    figures.update(overrides)
    return figures


def test_table_marks_each_target():
    rows, detail = build_rows(_figures(), [1000, 10000, 100000])
    table = render_markdown(rows, detail, {})
    assert "FAIL" not in table
    statuses = {r.target.name: r.target.status for r in rows if r.target}
    assert statuses["load"] == statuses["rss"] == statuses["growth"] == "pass"
    assert statuses["sparql"] == "pass"  # geometric mean of 200x and > 1000x
    assert statuses["http_rps"] == statuses["http_p50"] == statuses["cli"] == statuses["explorer"] == "pass"
    assert "> 1,000×" in table  # a timed-out baseline is a lower bound
    assert len(detail) == 2
    # what the chains say, in the realist model's terms, next to how fast they came
    assert (
        "12.5 chains found on average; 75% with a signed valence, 1.5 evidence bases on the weakest hop, "
        "20% of joins on a recorded nesting"
    ) in table
    assert "16,000 evidence items, 500 nestings" in table


def test_missed_targets_say_why():
    rows, detail = build_rows(
        _figures(**{"load.100000.total_s": 90.0, "http.cmocs.throughput.rps": 500.0}), [10000, 100000]
    )
    missed = {t.name for t in failed_targets(rows)}
    assert missed == {"load", "growth", "http_rps"}
    table = render_markdown(rows, detail, {"explorer": "RuntimeError: no Chromium"})
    assert "Missed targets" in table and "no Chromium" in table
    assert "parameter model" in table  # the why and the fix are in the table's notes


def _scale_figures(**overrides: float) -> dict:
    figures = {
        "index.sizes": [100_000, 1_000_000],
        "index.100000.build_s": 90.0,
        "index.100000.peak_rss": 3.0 * 1024**3,
        "startup.100000.index_s": 2.0,
        "startup.100000.index_memory": 1.0 * 1024**3,
        "startup.100000.files_s": 40.0,
        "startup.100000.files_memory": 3.0 * 1024**3,
        "index.1000000.build_s": 600.0,
        "index.1000000.peak_rss": 6.0 * 1024**3,
        "startup.1000000.index_s": 12.0,
        "startup.1000000.index_memory": 3.5 * 1024**3,
        "startup.1000000.cmocs_p50": 0.004,
        "chains_index.1000000.p50": 0.009,
        "chains_index.1000000.p95": 0.045,
        "chains_index.1000000.max": 0.070,
        "chains_index.1000000.truncated_share": 0.25,
        "chains_index.1000000.budget_share": 0.1,
        "chains_index.1000000.time_budget": 0.05,
        "chains.100000.p50": 0.008,
        "chains.100000.p95": 0.040,
        "workers.1.chains.rps": 500.0,
        "workers.2.chains.rps": 800.0,
        "workers.1.cmocs.rps": 600.0,
        "workers.2.cmocs.rps": 900.0,
        "workers.2.seen": 2,
        "oxigraph.size": 100_000,
        "oxigraph.q.a.ours": 0.010,
        "oxigraph.q.a.theirs": 0.030,
        "oxigraph.q.b.ours": 0.020,
        "oxigraph.q.b.theirs": 0.010,
        "oxigraph.q.b.rows_agree": 1.0,
        "explorer10k.settled_s": 2.5,
        "explorer10k.nodes": 10_000,
    }
    figures.update(overrides)
    return figures


def test_scale_targets_are_checked_at_the_sizes_the_issue_names():
    rows, _ = build_rows(_figures(**_scale_figures()), [1000, 10000, 100000])
    statuses = {r.target.name: r.target.status for r in rows if r.target and r.target.applies}
    for name in (
        "index_build",
        "index_rss",
        "serve_ready",
        "serve_memory",
        "startup_ratio",
        "cmocs_p50",
        "chains_p50",
        "chains_p95",
        "chains_budget",  # 45 ms against the 50 ms budget
        "workers",
        "oxigraph",  # geometric mean of 3x and 0.5x: 1.22x
        "explorer10k",
    ):
        assert statuses[name] == "pass", name
    table = render_markdown(rows, [], {})
    assert "20.0×" in table  # 40 s from files against 2 s from the index
    missed = _figures(
        **_scale_figures(
            **{
                "index.1000000.build_s": 1200.0,
                "workers.2.chains.rps": 550.0,
                "chains_index.1000000.p95": 0.0501,  # just over the budget
            }
        )
    )
    rows, _ = build_rows(missed, [1000, 10000, 100000])
    assert {t.name for t in failed_targets(rows)} == {"index_build", "workers", "chains_budget"}
    table = render_markdown(rows, [], {})
    assert "fewer quads per CMOC" in table and "load client" in table


def test_a_named_query_over_the_budget_gives_a_bound_not_a_ratio():
    figures = _scale_figures(
        **{
            "oxigraph.budget_s": 120.0,
            # a: theirs ran out (counted at 120 s), ours took 40 s: their/our time is at least 3x
            "oxigraph.q.a.ours": 40.0,
            "oxigraph.q.a.theirs": 120.0,
            "oxigraph.q.a.theirs_timed_out": 1.0,
            # b: both measured, 2 s against 1 s: 0.5x
            "oxigraph.q.b.ours": 2.0,
            "oxigraph.q.b.theirs": 1.0,
            # c: both ran out: no ratio, left out of the mean
            "oxigraph.q.c.ours": 120.0,
            "oxigraph.q.c.theirs": 120.0,
            "oxigraph.q.c.ours_timed_out": 1.0,
            "oxigraph.q.c.theirs_timed_out": 1.0,
        }
    )
    rows, _ = build_rows(_figures(**figures), [1000, 10000, 100000])
    by_what = {r.name: r for r in rows}
    assert by_what["named query `a` over HTTP"].ratio == "> 3.00×"
    assert "their server ran out of the 120.0 s budget" in by_what["named query `a` over HTTP"].note
    assert by_what["named query `b` over HTTP"].ratio == "0.50×"
    assert by_what["named query `c` over HTTP"].ratio == "–"
    mean = by_what["2 named queries, geometric mean against a standalone Oxigraph server"]
    assert mean.ratio == "1.22×"  # sqrt(3 * 0.5)
    assert "1 ratio(s) are bounds" in mean.note and "1 over the budget on both, left out" in mean.note


def test_sizes_measured_in_the_first_run_only_say_so():
    # --runs 3 with --once-above 100000: the 1M rows come from one run, the 100k rows from three
    figures = _figures(**_scale_figures(**{"index.once_above": 100_000}))
    rows, _ = build_rows(figures, [1000, 10000, 100000])
    once = [r for r in rows if "first run only" in r.note]
    assert once and all(r.size == "1M CMOCs" for r in once)
    assert any(r.size == "100k CMOCs" and r.section == "7. Scale" for r in rows)


def test_a_skipped_scale_section_says_why():
    figures = _figures(
        **{"index.skipped": "causal-web index is not on this branch", "oxigraph.skipped": "no oxigraph"}
    )
    rows, _ = build_rows(figures, [1000, 10000, 100000])
    table = render_markdown(rows, [], {})
    assert "causal-web index is not on this branch" in table and "no oxigraph" in table
    assert not failed_targets(rows)


def test_quick_sizes_are_information_only():
    figures = _figures()
    figures.update({"load.1000.total_s": 0.5, "load.5000.total_s": 2.5, "load.5000.peak_rss": 1e8})
    rows, _ = build_rows(figures, [1000, 5000])
    for row in rows:
        if row.target and row.target.name in ("load", "rss", "growth"):
            assert row.target.status == "info"


def test_client_measures_a_loopback_server():
    """The load client against a tiny threaded HTTP server on 127.0.0.1."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from bench.client import run_load

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            body = b'{"ok": true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = run_load(f"http://127.0.0.1:{server.server_port}/x", 2, 5.0, 50, warmup=0)
    finally:
        server.shutdown()
    assert result["requests"] == 50 and result["errors"] == 0
    assert result["p50"] > 0 and result["rps"] > 0


def test_client_refuses_other_hosts():
    from bench.client import run_load

    with pytest.raises(SystemExit):
        run_load("http://192.0.2.1:9/x", 1, 0.1, 1, warmup=0)


def test_help_explains_the_targets():
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--help"], capture_output=True, text=True, timeout=60, check=True
    )
    for words in ("--quick", "--check", "--runs", "50x", "4 GiB", "1.5x", "3 s"):
        assert words in done.stdout


def test_chain_quality_on_a_hand_built_web(good_copy):
    """The small fixture: shared-vision -> trust (T-001, '+') and trust -> performance (T-002
    and T-003, both '+'). The three questions of the mix: to performance plainly, to performance
    via the core mechanisms, and to the core mechanism trust. Each finds one chain, all signed;
    the weakest hop (T-001, paper-a only) has one evidence base. The two two-hop chains each
    have one join, by a shared concept alone until the curator records a nesting T-001 -> T-002."""
    import causal_web
    from bench.chains import chain_queries, time_chains

    web = causal_web.load(good_copy).web
    assert [(q["start"], q["end"], q["via"]) for q in chain_queries(web, 3)] == [
        ("shared-vision", "performance", None),
        ("shared-vision", "performance", "core mechanisms"),
        ("shared-vision", "trust", None),
    ]
    before = time_chains(web, repeats=1, count=3)
    assert before["calls"] == 3 and before["mean_chains"] == 1.0 and before["chains_found"] == 3
    assert before["signed_share"] == 1.0 and before["mean_weakest_bases"] == 1.0
    assert before["nested_join_share"] == 0.0
    (good_copy / "nestings.yaml").write_text(
        "nestings:\n"
        "  - {id: T-N01, from: T-001, to: T-002, as: context, concept: trust, provenance: curator,\n"
        "     evidence: [{source: paper-a, table: Table 1, row: '1', evidence_type: curator-inference}]}\n",
        encoding="utf-8",
    )
    after = time_chains(causal_web.load(good_copy).web, repeats=1, count=3)
    assert after["nested_join_share"] == 1.0 and after["chains_found"] == 3


def test_load_child_reports_json(tmp_path):
    from causal_web.model.synthetic import write_synthetic

    folder = write_synthetic(tmp_path / "web", 200, seed=1)
    done = subprocess.run(
        [sys.executable, "-m", "bench.load", str(folder), "--chains", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["cmocs"] == 200 and result["quads"] > 0
    assert result["nestings"] == 200 // 20 and result["evidence_items"] >= 200
    assert result["peak_rss"] > 0 and result["total_s"] > 0
    assert result["chains"]["calls"] > 0


def test_a_saved_run_is_rendered_again_with_a_note(tmp_path):
    saved = {
        "figures": _figures(**_scale_figures()),
        "info": {
            "cpu": "a test CPU",
            "cores": 2,
            "memory": "1 GiB",
            "os": "Linux",
            "python": "3.11",
            "versions": {"pyoxigraph": "0"},
            "load_average": [0, 0, 0],
            "load_average_before": [0, 0, 0],
        },
        "elapsed": 60.0,
        "runs": 1,
        "quick": False,
        "seed": 0,
        "date": "2026-12-01",
    }
    source = tmp_path / "run.json"
    source.write_text(json.dumps(saved), encoding="utf-8")
    output = tmp_path / "out.md"
    note = "The 1M build was stopped by hand."
    command = [sys.executable, "-m", "bench", "--from-json", str(source), "--output", str(output)]
    done = subprocess.run([*command, "--note", note], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    text = output.read_text(encoding="utf-8")
    assert f"**Note on this run.** {note}" in text and "a test CPU" in text
    assert json.loads(output.with_suffix(".json").read_text(encoding="utf-8"))["note"] == note
    # rendered again from the written .json, without --note, the note stays
    again = tmp_path / "again.md"
    written = output.with_suffix(".json")
    subprocess.run(
        [sys.executable, "-m", "bench", "--from-json", str(written), "--output", str(again)],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert f"**Note on this run.** {note}" in again.read_text(encoding="utf-8")
