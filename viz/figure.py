"""Figures for papers: a view as Graphviz DOT, with a legend, rendered to SVG and PNG by ``dot``.

The figure draws the same selection as the interactive view it comes from (the whole web, a
neighbourhood, or the traced chains alone) with the same colours, and Graphviz shapes that
hold their label (see :data:`viz.styles.CATEGORIES`). The legend is a cluster of real nodes
and edges, so it always matches what the figure uses.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from causal_web.atomic import write_file_atomic
from causal_web.errors import CausalWebError
from causal_web.viz.styles import CATEGORIES, CONTESTED_STYLE, VALENCE_STYLES, arrow_style
from causal_web.viz.view import NetworkView

__all__ = ["FIGURE_FORMATS", "FigureError", "figure_dot", "render_figure", "write_figure"]

FIGURE_FORMATS = ("svg", "png")
FONT = "DejaVu Sans"


class FigureError(CausalWebError):
    """Graphviz is missing or failed to draw the figure."""


def _luminance(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _quote(text: str) -> str:
    """A DOT double-quoted string; backslashes are doubled so Graphviz's escapes (\\N, \\l...)
    never act on data."""
    flat = " ".join(str(text).split())
    return '"' + flat.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _label(text: str, width: int = 22) -> str:
    """A quoted label wrapped onto centred lines of about ``width`` characters."""
    lines = textwrap.wrap(" ".join(str(text).split()), width=width) or [""]
    escaped = [line.replace("\\", "\\\\").replace('"', '\\"') for line in lines]
    return '"' + "\\n".join(escaped) + '"'


def _attrs(**attrs: Any) -> str:
    parts = []
    for key, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        text = value if isinstance(value, str) and value.startswith('"') else _quote(str(value))
        parts.append(f"{key}={text}")
    return "[" + ", ".join(parts) + "]"


def _node_attrs(category: str, label: str, emphasis: bool = False) -> str:
    style = CATEGORIES[category]
    dark = _luminance(style.colour) < 0.4
    return _attrs(
        label=_label(label),
        shape=style.figure_shape,
        style="rounded,filled" if style.figure_shape == "box" else "filled",
        fillcolor=style.colour,
        color="#111111" if emphasis else style.border,
        penwidth=2.4 if emphasis else 1.2,
        fontcolor="#ffffff" if dark else "#1a1a1a",
    )


def _edge_attrs(valence: str, bases: int, label: str | None = None, status: str = "") -> str:
    style = arrow_style(valence, status)
    return _attrs(
        color=style.colour,
        style="dashed" if style.dashes else "solid",
        penwidth=round(0.8 + 1.2 * min(max(bases, 1), 6), 2),
        label=label,
        fontcolor="#444444",
        fontsize=9,
    )


def _legend(categories: Iterable[str], title: str = "Legend") -> list[str]:
    """A compact cluster: the concept shapes in a grid of small real nodes, then one row per
    arrow valence (a short arrow and its meaning), then a note on arrow width."""
    lines = [
        "  subgraph cluster_legend {",
        f'    label={_quote(title)}; labeljust=l; fontsize=12; style="rounded,filled"; '
        'fillcolor="#fafafa"; color="#b0b0b0"; margin=8;',
        '    node [fontsize=9, height=0.28, margin="0.06,0.02"];',
    ]
    wanted = [key for key in CATEGORIES if key in set(categories)]
    names = []
    for key in wanted:
        name = f"legend_{key}"
        lines.append(f"    {_quote(name)} {_node_attrs(key, CATEGORIES[key].label)};")
        names.append(name)
    # Two shapes per row: in a left-to-right graph a rank is a column, so the first of each
    # pair sits in one rank and the second in the next, joined by an invisible edge.
    columns: tuple[list[str], list[str]] = ([], [])
    for index, name in enumerate(names):
        columns[index % 2].append(name)
    for first, second in zip(columns[0], columns[1], strict=False):
        lines.append(f"    {_quote(first)} -> {_quote(second)} [style=invis, minlen=1];")
    for index, (valence, style) in enumerate([*VALENCE_STYLES.items(), ("contested", CONTESTED_STYLE)]):
        start, end = f"legend_valence_{index}_a", f"legend_valence_{index}_b"
        lines.append(f'    {_quote(start)} [shape=point, width=0.05, color="{style.colour}"];')
        lines.append(f"    {_quote(end)} [shape=plaintext, label={_label(style.label, 34)}, fontsize=9];")
        lines.append(f"    {_quote(start)} -> {_quote(end)} {_edge_attrs(valence, 1, status=valence)};")
        columns[0].append(start)
        columns[1].append(end)
    note = "legend_note"
    text = "Arrow width: number of independent evidence bases. Colour: the valence the records state."
    lines.append(f"    {_quote(note)} [shape=plaintext, fontsize=9, label={_label(text, 34)}];")
    columns[1].append(note)
    for column in columns:
        lines.append("    { rank=same; " + " ".join(_quote(n) for n in column) + " }")
        # Within a rank of a left-to-right graph, an edge orders its ends bottom to top.
        for upper, lower in itertools.pairwise(column):
            lines.append(f"    {_quote(lower)} -> {_quote(upper)} [style=invis];")
    lines.append("  }")
    return lines


def figure_dot(view: NetworkView, *, chains_only: bool = True, title: str | None = None) -> str:
    """The view as DOT, left to right, with a legend cluster. For a chains view the figure holds
    only the chains (``chains_only``), the rest of the web being noise on paper."""
    nodes = view.network.nodes
    edges = view.network.edges
    if view.kind == "chains" and chains_only:
        nodes = [n for n in nodes if n["cw"].get("highlighted")]
        edges = [e for e in edges if e["cw"].get("highlighted")]
    heading = title if title is not None else view.title
    lines = [
        "digraph causal_web {",
        f"  graph [rankdir=LR, fontname={_quote(FONT)}, fontsize=18, labelloc=t, label={_quote(heading)}, "
        'nodesep=0.22, ranksep=0.7, newrank=true, pad=0.3, bgcolor="white"];',
        f'  node [fontname={_quote(FONT)}, fontsize=11, margin="0.12,0.05"];',
        f"  edge [fontname={_quote(FONT)}, arrowsize=0.7];",
    ]
    for node in nodes:
        cw = node["cw"]
        emphasis = bool(cw.get("focus")) or (
            view.kind == "chains" and not chains_only and cw.get("highlighted", False)
        )
        lines.append(f"  {_quote(node['id'])} {_node_attrs(cw['category'], cw['label'], emphasis)};")
    for edge in edges:
        cw = edge["cw"]
        records = cw["cmocs"] + cw["links"]
        label = None
        if view.kind != "web":
            label = ", ".join(records) if len(records) <= 2 else f"{len(records)} records"
        attrs = _edge_attrs(cw["valence"], len(cw["bases"]), label, cw.get("evidence_status", ""))
        lines.append(f"  {_quote(edge['from'])} -> {_quote(edge['to'])} {attrs};")
    lines.extend(_legend({n["cw"]["category"] for n in nodes}))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_program(dot: str | None) -> str:
    path = dot or shutil.which("dot")
    if path is None:
        raise FigureError(
            "Graphviz 'dot' was not found on PATH: install Graphviz (Debian: apt install graphviz)"
        )
    return path


def render_figure(
    dot_text: str, fmt: str, *, dpi: int = 150, dot: str | None = None, timeout: float = 300
) -> bytes:
    """``dot_text`` drawn by Graphviz as ``svg`` or ``png`` (at ``dpi``)."""
    if fmt not in FIGURE_FORMATS:
        raise FigureError(f"figure format must be one of {', '.join(FIGURE_FORMATS)}, not {fmt!r}")
    args = [_dot_program(dot), f"-T{fmt}"]
    if fmt == "png":
        args.append(f"-Gdpi={dpi}")
    try:
        done = subprocess.run(
            args, input=dot_text.encode("utf-8"), capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise FigureError(
            f"Graphviz took longer than {timeout:.0f} s: draw a smaller part of the web"
        ) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise FigureError(f"Graphviz failed (exit {done.returncode}): {message}")
    return done.stdout


def write_figure(
    view: NetworkView,
    output: Path,
    formats: Iterable[str] = FIGURE_FORMATS,
    *,
    dpi: int = 150,
    chains_only: bool = True,
    title: str | None = None,
) -> list[Path]:
    """Write the figure next to ``output`` once per format (``fig.svg``, ``fig.png``), each
    through a temporary file and a rename. Returns the paths written."""
    text = figure_dot(view, chains_only=chains_only, title=title)
    written = []
    for fmt in formats:
        target = output.with_suffix(f".{fmt}")
        data = render_figure(text, fmt, dpi=dpi)
        write_file_atomic(target, data)
        written.append(target)
    return written
