"""`causal-web render` and `causal-web figure` through click's runner."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from click.testing import CliRunner

from causal_web.cli.main import main

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")


def page_data(html: str) -> dict:
    found = re.search(r'<script id="cw-data" type="application/json">(.*?)</script>', html, re.S)
    assert found, "no embedded data"
    return json.loads(found.group(1))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_render_whole_web(runner, tmp_path):
    out = tmp_path / "web.html"
    result = runner.invoke(main, ["render", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = page_data(out.read_text())
    assert data["kind"] == "web" and len(data["nodes"]) > 50


def test_render_focus(runner, tmp_path):
    out = tmp_path / "trust.html"
    assert runner.invoke(main, ["render", "--focus", "trust", "-o", str(out)]).exit_code == 0
    data = page_data(out.read_text())
    assert data["kind"] == "neighbourhood" and data["focus"] == "trust"


def test_render_chains_with_filters(runner, tmp_path):
    out = tmp_path / "chains.html"
    args = [
        "render",
        "--from",
        "shared-vision",
        "--to",
        "collaborative-behaviour",
        "--via",
        "trust",
        "--title",
        "My chains",
    ]
    result = runner.invoke(main, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text()
    data = page_data(html)
    assert data["kind"] == "chains" and data["chains"]["total"] >= 1
    assert data["chains"]["include_background"] is False
    assert "<title>My chains</title>" in html


def test_render_chains_with_background(runner, tmp_path):
    args = ["--from", "inter-organisational-collaboration", "--to", "performance-improvement"]
    out = tmp_path / "chains.html"
    assert runner.invoke(main, ["render", *args, "-o", str(out)]).exit_code == 0
    assert page_data(out.read_text())["chains"]["total"] == 0
    assert runner.invoke(main, ["render", *args, "--include-background", "-o", str(out)]).exit_code == 0
    data = page_data(out.read_text())["chains"]
    assert data["include_background"] is True
    assert [h["records"] for h in data["chains"][0]["hops"]] == [["E22-L08"]]


def test_render_to_stdout(runner):
    result = runner.invoke(main, ["render", "--focus", "faith", "--min-sources", "1"])
    assert result.exit_code == 0
    assert result.output.startswith("<!doctype html>")


def test_render_phase_filter(runner, tmp_path):
    out = tmp_path / "phase.html"
    assert runner.invoke(main, ["render", "--phase", "refined-2021", "-o", str(out)]).exit_code == 0
    data = page_data(out.read_text())
    assert data["edges"] and all(set(e["cw"]["by_phase"]) == {"refined-2021"} for e in data["edges"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--focus", "trust", "--from", "a", "--to", "b"], "either --focus or --from/--to"),
        (["--from", "shared-vision"], "--from and --to go together"),
        (["--via", "trust"], "--via needs --from and --to"),
        (["--include-background"], "--include-background needs --from and --to"),
    ],
)
def test_render_usage_errors(runner, args, message):
    result = runner.invoke(main, ["render", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_render_unknown_concept_names_it(runner, tmp_path):
    result = runner.invoke(main, ["render", "--focus", "trsut", "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2
    assert "Unknown concept 'trsut'" in result.output and "trust" in result.output
    assert not (tmp_path / "x.html").exists()


@needs_dot
def test_figure_writes_svg_and_png(runner, tmp_path):
    result = runner.invoke(
        main, ["figure", "--from", "shared-vision", "--to", "task-achievement", "-o", str(tmp_path / "fig")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "fig.svg").read_bytes().startswith(b"<?xml")
    assert (tmp_path / "fig.png").read_bytes()[:4] == b"\x89PNG"


@needs_dot
def test_figure_single_format(runner, tmp_path):
    result = runner.invoke(
        main, ["figure", "--focus", "trust", "--format", "svg", "-o", str(tmp_path / "t.svg")]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.svg"]


def test_figure_needs_an_output(runner):
    result = runner.invoke(main, ["figure", "--focus", "trust"])
    assert result.exit_code == 2 and "--output" in result.output
