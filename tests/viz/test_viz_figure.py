"""Paper figures: DOT with a legend, drawn by Graphviz into valid SVG and a real PNG."""

from __future__ import annotations

import shutil
import struct
import xml.etree.ElementTree as ET

import pytest

from causal_web.viz.figure import FigureError, figure_dot, render_figure, write_figure
from causal_web.viz.network import neighbourhood_network, traced_chains_network, web_network

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")
SVG = "{http://www.w3.org/2000/svg}"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    return struct.unpack(">II", data[16:24])


def svg_texts(data: bytes) -> list[str]:
    root = ET.fromstring(data)
    return [" ".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_dot_has_a_legend_and_escapes_labels(kb):
    view = neighbourhood_network(kb.web, "trust")
    view.network.nodes[0]["cw"]["label"] = 'A "quoted" \\N label'
    text = figure_dot(view)
    assert "subgraph cluster_legend" in text and 'label="Legend"' in text
    assert '"A \\"quoted\\" \\\\N label"' in text
    for label in (
        "Context",
        "Core mechanism",
        "Enables (+)",
        "Constrains (−)",
        "Mixed",
        "Valence not stated",
    ):
        assert label in text
    assert "independent evidence bases" in text.replace("\\n", " ")  # wrapped onto lines


def test_chains_figure_holds_only_the_chains(kb):
    view = traced_chains_network(
        kb.web, "shared-vision", "collaborative-behaviour", via="trust", whole_web=True
    )
    text = figure_dot(view)
    assert '"shared-vision"' in text and '"collaborative-behaviour"' in text
    assert '"legal-agreements"' not in text
    assert '"legal-agreements"' in figure_dot(view, chains_only=False)


@needs_dot
@pytest.mark.parametrize("which", ["web", "neighbourhood", "chains"])
def test_svg_and_png_with_legend(kb, tmp_path, which):
    view = {
        "web": lambda: web_network(kb.web),
        "neighbourhood": lambda: neighbourhood_network(kb.web, "faith"),
        "chains": lambda: traced_chains_network(kb.web, "shared-vision", "task-achievement"),
    }[which]()
    written = write_figure(view, tmp_path / "figure.svg")
    assert [p.name for p in written] == ["figure.svg", "figure.png"]
    texts = svg_texts(written[0].read_bytes())
    assert "Legend" in texts
    assert any("Enables (+)" in t for t in texts) and any(t == "Context" for t in texts)
    assert view.title in " ".join(texts)
    width, height = png_size(written[1].read_bytes())
    assert width > 300 and height > 200
    assert not list(tmp_path.glob(".*.tmp"))


@needs_dot
def test_png_dpi_scales_the_image(kb):
    text = figure_dot(neighbourhood_network(kb.web, "faith"))
    small = png_size(render_figure(text, "png", dpi=72))
    large = png_size(render_figure(text, "png", dpi=144))
    assert large[0] > 1.8 * small[0]


def test_missing_graphviz_is_a_clear_error(kb, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(FigureError, match="Graphviz 'dot' was not found"):
        render_figure("digraph {}", "svg")


@needs_dot
def test_graphviz_failure_is_reported():
    with pytest.raises(FigureError, match="Graphviz failed"):
        render_figure("digraph { this is not dot", "svg")
    with pytest.raises(FigureError, match="format"):
        render_figure("digraph {}", "pdf")
