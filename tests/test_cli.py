"""The command line through its real entry point."""

from __future__ import annotations

import json

from conftest import DATA, run_cli

from causal_web.model.canonical import canonical_files, lint_folder


def test_help_lists_every_command():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("validate", "stats", "export", "lint", "cmocs", "concept", "chains", "diff", "query"):
        assert command in result.stdout


def test_validate_bundled_data():
    result = run_cli("validate")
    assert result.returncode == 0, result.stderr
    # 40 configurations (E22-001..003 are mechanism entries, S22-013 three constitutes links),
    # 20 links (9 B21, 8 E22, S22-L01..03) and 12 mechanism entries (9 B21, 3 E22)
    assert "valid (40 CMOCs, 20 links, 12 mechanisms" in result.stdout


def test_stats_text_reports_phases_and_ledger():
    result = run_cli("stats")
    assert result.returncode == 0
    assert "review-2021" in result.stdout and "Coverage ledger" in result.stdout
    assert "Known gaps:" in result.stdout


def test_bundled_data_is_canonical():
    changed = lint_folder(DATA, check=True)
    assert not changed, f"not canonical: {changed}; run `causal-web lint`"


def test_lint_rewrites_a_messy_file(good_copy):
    path = good_copy / "cmocs.yaml"
    messy = path.read_text().replace("    kind: cmoc\n", "").replace("'1'", '"1"')
    path.write_text(messy)
    assert lint_folder(good_copy, check=True) == ["cmocs.yaml"]
    assert run_cli("lint", "--check", "--data", str(good_copy)).returncode == 1
    result = run_cli("lint", "--data", str(good_copy))
    assert result.returncode == 0 and "cmocs.yaml: rewritten" in result.stdout
    assert lint_folder(good_copy, check=True) == []
    assert path.read_text() == canonical_files(good_copy)["cmocs.yaml"]
    assert not [p for p in good_copy.iterdir() if p.name.startswith(".")]


def test_lint_refuses_invalid_data_and_writes_nothing(good_copy):
    path = good_copy / "cmocs.yaml"
    broken = path.read_text().replace("concept: trust\n", "concept: trsut\n", 1)
    path.write_text(broken)
    result = run_cli("lint", "--data", str(good_copy))
    assert result.returncode == 1
    assert path.read_text() == broken


def test_cmocs_json_and_filters():
    result = run_cli("cmocs", "--mechanism", "perception-of-progress", "--json")
    data = json.loads(result.stdout)
    assert [c["id"] for c in data["items"]] == [f"R21-{n:03d}" for n in range(6, 13)]
    assert data["total"] == 7
    result = run_cli("cmocs", "--ioc-type", "mandated", "--json")
    assert {c["id"] for c in json.loads(result.stdout)["items"]} == {"R21-005", "S22-001"}


def test_unknown_concept_suggests_close_matches():
    result = run_cli("concept", "trsut")
    assert result.returncode == 2
    assert "Unknown concept 'trsut'" in result.stderr and "trust" in result.stderr
    assert "Traceback" not in result.stderr
    result = run_cli("chains", "--from", "shared-vison", "--to", "task-achievement")
    assert result.returncode == 2 and "shared-vision" in result.stderr


def test_concept_command_shows_neighbourhood():
    result = run_cli("concept", "faith", "--json")
    data = json.loads(result.stdout)
    upstream = {n["concept"] for n in data["upstream"]}
    assert "perception-of-progress" in upstream
    assert "R21-003" in data["cmocs"]["context"]
    text = run_cli("concept", "faith").stdout
    assert "Activated by (upstream)" in text and "perception-of-progress" in text


def test_query_command_lists_and_runs_named_queries():
    listing = run_cli("query").stdout
    assert "what-erodes-faith" in listing
    rows = json.loads(run_cli("query", "mandated-collaboration", "--json").stdout)
    assert {r["cmoc"] for r in rows} == {"R21-005", "S22-001"}


def test_output_to_a_closed_pipe_is_not_an_error():
    import subprocess
    import sys

    command = f"{sys.executable} -m causal_web export --format nt | head -n 1"
    result = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr and "Broken pipe" not in result.stderr


def test_shell_completion_works_as_the_readme_says():
    """The README's completion lines: the script for each shell, and real completions."""
    import os
    import re
    import subprocess
    import sys
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    shells = re.findall(r"_CAUSAL_WEB_COMPLETE=(\w+)_source causal-web", readme)
    assert shells == ["bash", "zsh", "fish"]
    command = str(Path(sys.executable).with_name("causal-web"))
    for shell in shells:
        env = {**os.environ, "_CAUSAL_WEB_COMPLETE": f"{shell}_source"}
        script = subprocess.run([command], env=env, capture_output=True, text=True, timeout=60).stdout
        assert "_CAUSAL_WEB_COMPLETE" in script, shell
    env = {
        **os.environ,
        "_CAUSAL_WEB_COMPLETE": "bash_complete",
        "COMP_WORDS": "causal-web export --format g",
        "COMP_CWORD": "3",
    }
    done = subprocess.run([command], env=env, capture_output=True, text=True, timeout=60).stdout
    assert done.split() == ["plain,graphml", "plain,gexf"]
