"""Node positions, computed once in Python so the browser has nothing to settle.

The layout is layered and reads left to right. The caller puts each concept in a column
(for the whole web: contexts, mechanisms, behaviour, outcomes, long-term outcomes; for a
neighbourhood: causes, the concept, effects). Then:

1. a few barycentre sweeps order each column by the positions of its neighbours, which
   uncrosses most edges;
2. a column taller than the row cap wraps into side-by-side sub-columns, and the cap is
   chosen so the drawing has about the shape of a screen.

Columns by role rather than by longest path: the IOC web is full of feedback loops (trust
builds collaborative functioning, which builds trust), and longest-path layering stretched it
over a dozen columns with trust and confidence far apart. Role columns keep the programme
theory's reading order and put like with like.

It is pure Python and linear in the edges per sweep (about 0.1 s for 2,000 concepts and
17,000 edges), and deterministic, so the same web always looks the same.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["LayoutSpacing", "column_headings", "layered_layout"]


@dataclass(frozen=True, slots=True)
class LayoutSpacing:
    """Distances in canvas pixels, and the width:height the drawing aims for."""

    column_gap: float = 270.0  # from the last sub-column of one column to the next column
    sub_column_gap: float = 175.0  # between the sub-columns of a wrapped column
    row_gap: float = 80.0
    aspect: float = 1.3


def _faces(other: int, column: int, forward: bool, sweep: int) -> bool:
    """Whether a neighbour in column ``other`` counts in this sweep: first the columns on the
    side the sweep comes from, then, once the order has settled a little, both sides."""
    if other == column:
        return False
    if sweep >= 2:
        return True
    return other < column if forward else other > column


def _barycentre_order(
    columns: list[list[str]], neighbours: Mapping[str, list[str]], layer: Mapping[str, int], sweeps: int
) -> None:
    position: dict[str, float] = {}

    def index(column: list[str]) -> None:
        size = len(column)
        for i, node in enumerate(column):
            position[node] = (i + 0.5) / size

    for column in columns:
        index(column)
    for sweep in range(sweeps):
        forward = sweep % 2 == 0
        order = range(len(columns)) if forward else range(len(columns) - 1, -1, -1)
        for c in order:
            column = columns[c]
            keys: dict[str, float] = {}
            for node in column:
                near = [position[m] for m in neighbours[node] if _faces(layer[m], c, forward, sweep)]
                keys[node] = sum(near) / len(near) if near else position[node]
            column.sort(key=lambda n: (keys[n], n))
            index(column)


def _extent(sizes: list[int], rows_cap: int, spacing: LayoutSpacing) -> tuple[float, float]:
    width = 0.0
    height = 0
    for size in sizes:
        subs = max(1, math.ceil(size / rows_cap))
        width += (subs - 1) * spacing.sub_column_gap
        height = max(height, math.ceil(size / subs))
    width += (len(sizes) - 1) * spacing.column_gap
    return width, max(height - 1, 1) * spacing.row_gap


def _rows_cap(sizes: list[int], spacing: LayoutSpacing) -> int:
    """The column height whose drawing comes closest to the target aspect ratio."""
    tallest = max(sizes)
    best, best_score = tallest, math.inf
    for cap in range(min(6, tallest), tallest + 1):
        width, height = _extent(sizes, cap, spacing)
        score = abs(math.log(max(width, spacing.column_gap) / height / spacing.aspect))
        if score < best_score:
            best, best_score = cap, score
    return best


def layered_layout(
    nodes: Sequence[str],
    edges: Iterable[tuple[str, str]],
    layers: Mapping[str, int],
    *,
    spacing: LayoutSpacing | None = None,
    sweeps: int = 6,
) -> dict[str, tuple[float, float]]:
    """Positions (x, y) for ``nodes``, in the columns ``layers`` gives them (missing: 0).

    Empty column numbers take no space. Edges between nodes not in ``nodes`` are ignored.
    """
    spacing = spacing or LayoutSpacing()
    nodes = list(dict.fromkeys(nodes))
    if not nodes:
        return {}
    used = sorted({layers.get(n, 0) for n in nodes})
    compact = {value: i for i, value in enumerate(used)}
    layer = {n: compact[layers.get(n, 0)] for n in nodes}
    columns: list[list[str]] = [[] for _ in used]
    for node in sorted(nodes):
        columns[layer[node]].append(node)

    neighbours: dict[str, list[str]] = {n: [] for n in nodes}
    for u, v in edges:
        if u != v and u in neighbours and v in neighbours:
            neighbours[u].append(v)
            neighbours[v].append(u)
    _barycentre_order(columns, neighbours, layer, sweeps)

    rows_cap = _rows_cap([len(c) for c in columns], spacing)
    positions: dict[str, tuple[float, float]] = {}
    x = 0.0
    for column in columns:
        subs = max(1, math.ceil(len(column) / rows_cap))
        rows = math.ceil(len(column) / subs)
        for i, node in enumerate(column):
            row, sub = divmod(i, subs)
            # Odd rows shift by half a sub-column so wrapped labels do not stack into a wall.
            shift = 0.5 if subs > 1 and row % 2 else 0.0
            positions[node] = (
                round(x + (sub + shift) * spacing.sub_column_gap, 1),
                round((row - (rows - 1) / 2) * spacing.row_gap, 1),
            )
        x += (subs - 1 + (0.5 if subs > 1 else 0.0)) * spacing.sub_column_gap + spacing.column_gap
    return positions


def column_headings(
    positions: Mapping[str, tuple[float, float]], layers: Mapping[str, int], names: Mapping[int, str]
) -> list[dict[str, Any]]:
    """A heading over each column (``names`` by column number), centred on it, above the top row."""
    spans: dict[int, list[float]] = {}
    for node, (x, y) in positions.items():
        span = spans.setdefault(layers[node], [x, x, y])
        span[0], span[1], span[2] = min(span[0], x), max(span[1], x), min(span[2], y)
    top = min((s[2] for s in spans.values()), default=0.0)
    return [
        {"label": names.get(layer, ""), "x": round((span[0] + span[1]) / 2, 1), "y": round(top - 70, 1)}
        for layer, span in sorted(spans.items())
    ]
