"""Evidence in figures: a contested arrow is orange and dashed in the DOT, with a legend row,
and `causal-web figure --matrix` writes the evidence matrix as SVG and PNG with a legend."""

from __future__ import annotations

import html
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from causal_web.cli.main import main
from causal_web.knowledge_base import load
from causal_web.viz.figure import figure_dot
from causal_web.viz.network import web_network
from causal_web.viz.styles import CONTESTED_STYLE, VALENCE_STYLES

CONTESTED = Path(__file__).resolve().parents[1] / "data" / "contested"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")


def _edge_line(text: str, u: str, v: str) -> str:
    return next(line for line in text.splitlines() if line.strip().startswith(f'"{u}" -> "{v}"'))


def test_a_contested_arrow_is_orange_and_dashed_in_a_figure():
    text = figure_dot(web_network(load(CONTESTED).web))
    contested = _edge_line(text, "trust", "joint-working")
    assert f'color="{CONTESTED_STYLE.colour}"' in contested and 'style="dashed"' in contested
    agreed = _edge_line(text, "pooled-budget", "trust")
    assert f'color="{VALENCE_STYLES["+"].colour}"' in agreed and 'style="solid"' in agreed
    assert "Contested: independent bases" in text.replace("\\n", " ")  # the legend row


@needs_dot
def test_figure_matrix_writes_svg_and_png_with_a_legend(tmp_path):
    out = tmp_path / "matrix"
    result = CliRunner().invoke(
        main, ["figure", "--data", str(CONTESTED), "--matrix", "context", "mechanism", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    svg = (tmp_path / "matrix.svg").read_text(encoding="utf-8")
    ET.fromstring(svg)  # well-formed
    words = html.unescape(" ".join(re.findall(r">([^<]+)<", svg)))  # Graphviz writes '-' as &#45;
    for expected in ("Pooled budget", "Trust", "C-1", "C-2", "C-3", "Legend", "contested"):
        assert expected in words, expected
    assert CONTESTED_STYLE.colour in svg  # the contested cells' border
    assert (tmp_path / "matrix.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bad = CliRunner().invoke(main, ["figure", "--matrix", "colour", "mechanism", "-o", str(out)])
    assert bad.exit_code == 2 and "unknown matrix dimension" in bad.output
