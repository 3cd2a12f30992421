"""Placing and labelling a large web: a force-directed layout from Graphviz ``sfdp``, and the
rank that decides which labels show when the drawing is zoomed out.

The layered layout (:mod:`viz.layout`) reads well up to a few hundred concepts. At thousands
its columns turn into walls of nodes with every arrow crossing them, so from
:data:`viz.vis_network.LARGE_WEB` concepts the whole web is placed by ``sfdp`` instead:
Graphviz's multilevel force-directed layout, run once per web with the Barnes-Hut quadtree in
its fast mode and no overlap removal (about 6 s of CPU for 10,000 concepts and 70,000 concept
pairs; the networkx spring layout needs NumPy and took longer). Related concepts end up near
each other, and the page draws with physics off, so nothing moves after the first frame.

``sfdp`` gets only numbers for node names (``n0``, ``n1``, ...), so no label or ID reaches its
input as DOT syntax. Its output is deterministic for the same input; positions are scaled so
that neighbouring concepts sit about :data:`NODE_SPACING` canvas pixels apart.

Concepts without arrows go in a compact block below the drawing. Without ``sfdp`` on the PATH
(Debian: the ``graphviz`` package) the layered layout is used.
"""

from __future__ import annotations

import math
import shutil
import subprocess
from collections.abc import Iterable, Mapping, Sequence

__all__ = [
    "LABELLED_ZOOMED_OUT",
    "LABELS_ALL_FROM_SCALE",
    "NODE_SPACING",
    "SFDP_TIMEOUT_S",
    "label_ranks",
    "sfdp_layout",
]

NODE_SPACING = 90.0
"""Canvas pixels between neighbouring concepts (the median length of a drawn arrow)."""

SFDP_TIMEOUT_S = 300.0

LABELLED_ZOOMED_OUT = 60
"""How many concepts (the top ones by :func:`label_ranks`) keep their labels with the whole
large web in view. The page shows more as it zooms in: this many times the square of the
zoom over the overview's zoom, counting only the concepts in view."""

LABELS_ALL_FROM_SCALE = 1.2
"""From this vis-network zoom scale on, every concept in view is labelled (neighbours are then
about 110 screen pixels apart, a label 18 pixels high)."""


class LayoutError(RuntimeError):
    """sfdp failed or gave output we cannot read."""


def _dot(nodes: Sequence[str], edges: Iterable[tuple[str, str]]) -> str:
    index = {node: i for i, node in enumerate(nodes)}
    lines = [
        "graph G {",
        # quadtree=fast: Barnes-Hut with one force per cell; overlap=true: no overlap removal
        # (the page draws nodes small at overview zoom); splines=false: no edge routing.
        "graph [overlap=true, quadtree=fast, splines=false, outputorder=nodesfirst, start=7];",
        "node [shape=point, width=0.1, height=0.1];",
    ]
    lines.extend(f"n{i};" for i in range(len(nodes)))
    seen: set[tuple[int, int]] = set()
    for u, v in edges:
        a, b = index.get(u), index.get(v)
        if a is None or b is None or a == b:
            continue
        key = (min(a, b), max(a, b))
        if key not in seen:
            seen.add(key)
            lines.append(f"n{key[0]} -- n{key[1]};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _parse_plain(text: str, count: int) -> list[tuple[float, float]]:
    found: list[tuple[float, float] | None] = [None] * count
    for line in text.splitlines():
        if not line.startswith("node "):
            continue
        fields = line.split()
        index = int(fields[1][1:])
        found[index] = (float(fields[2]), float(fields[3]))
    if any(p is None for p in found):
        raise LayoutError("sfdp left out some nodes")
    return found  # type: ignore[return-value]


def _scale(points: list[tuple[float, float]], pairs: Iterable[tuple[int, int]]) -> list[tuple[float, float]]:
    lengths = sorted(math.dist(points[a], points[b]) for a, b in pairs if math.dist(points[a], points[b]) > 0)
    median = lengths[len(lengths) // 2] if lengths else 1.0
    factor = NODE_SPACING / median
    cx = sum(p[0] for p in points) / len(points)
    cy = sum(p[1] for p in points) / len(points)
    # Graphviz's y axis points up, the canvas's down. Whole pixels: vis-network reads x and y
    # with parseInt, so a fraction would be cut off in the page.
    return [(float(round((x - cx) * factor)), float(round((cy - y) * factor))) for x, y in points]


def sfdp_layout(
    nodes: Sequence[str], edges: Iterable[tuple[str, str]]
) -> dict[str, tuple[float, float]] | None:
    """Positions (x, y) for ``nodes`` from Graphviz ``sfdp``; None if sfdp is not installed.

    Edges are taken undirected and once per pair; edges naming other nodes are ignored.
    Raises :class:`LayoutError` if sfdp fails or times out.
    """
    program = shutil.which("sfdp")
    if program is None:
        return None
    every = list(dict.fromkeys(nodes))
    if not every:
        return {}
    edges = list(edges)
    known = set(every)
    joined = {n for u, v in edges if u != v and u in known and v in known for n in (u, v)}
    nodes = [n for n in every if n in joined]
    if not nodes:
        return _grid(every, 0.0)
    dot = _dot(nodes, edges)
    try:
        # A fixed program, and our own DOT text (numbers only) on stdin.
        done = subprocess.run(
            [program, "-Tplain"],
            input=dot,
            capture_output=True,
            text=True,
            timeout=SFDP_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise LayoutError(f"sfdp took over {SFDP_TIMEOUT_S:.0f} s") from error
    if done.returncode != 0:
        raise LayoutError(f"sfdp failed: {done.stderr.strip()[:300]}")
    points = _parse_plain(done.stdout, len(nodes))
    index = {node: i for i, node in enumerate(nodes)}
    pairs = [(index[u], index[v]) for u, v in edges if u in index and v in index and u != v]
    placed = dict(zip(nodes, _scale(points, pairs), strict=True))
    # Concepts without arrows: sfdp would spread them over a wide grid of their own, which
    # shrinks the web at overview zoom; a compact block below the drawing holds them instead.
    alone = [n for n in every if n not in joined]
    if alone:
        placed.update(_grid(alone, max(y for _x, y in placed.values()) + 2 * NODE_SPACING))
    return placed


def _grid(nodes: list[str], top: float) -> dict[str, tuple[float, float]]:
    across = max(1, math.ceil(math.sqrt(len(nodes) * 2)))
    left = -(across - 1) * NODE_SPACING / 2
    return {
        node: (
            float(round(left + (i % across) * NODE_SPACING)),
            float(round(top + (i // across) * NODE_SPACING)),
        )
        for i, node in enumerate(nodes)
    }


def label_ranks(records: Mapping[str, int]) -> dict[str, int]:
    """Each concept's label rank: 0 for the concept named by the most records, then down;
    ties go by ID, so the order is stable. The page labels low ranks first."""
    ordered = sorted(records, key=lambda node: (-records[node], node))
    return {node: rank for rank, node in enumerate(ordered)}
