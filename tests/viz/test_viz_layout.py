"""The layered layout: columns left to right, wrapping, uncrossing, determinism."""

from __future__ import annotations

from causal_web.viz.layout import LayoutSpacing, layered_layout


def test_columns_run_left_to_right_in_layer_order():
    nodes = ["a", "b", "c", "d"]
    layers = {"a": 0, "b": 5, "c": 2, "d": 2}
    pos = layered_layout(nodes, [("a", "c"), ("c", "b")], layers)
    assert pos["a"][0] < pos["c"][0] == pos["d"][0] < pos["b"][0]


def test_empty_and_unknown_edges():
    assert layered_layout([], [], {}) == {}
    pos = layered_layout(["a"], [("a", "zzz"), ("a", "a")], {})
    assert pos == {"a": (0.0, 0.0)}


def test_barycentre_uncrosses_two_chains():
    # Alphabetical start order crosses the chains a->z and b->y; the sweeps straighten them.
    pos = layered_layout(["a", "b", "y", "z"], [("a", "z"), ("b", "y")], {"a": 0, "b": 0, "y": 1, "z": 1})
    assert (pos["a"][1] < pos["b"][1]) == (pos["z"][1] < pos["y"][1])


def test_tall_columns_wrap_into_sub_columns():
    nodes = [f"n{i:03d}" for i in range(200)] + ["end"]
    layers = {n: 0 for n in nodes}
    layers["end"] = 1
    pos = layered_layout(nodes, [], layers, spacing=LayoutSpacing(aspect=1.0))
    xs = {pos[n][0] for n in nodes[:-1]}
    assert len(xs) > 2  # wrapped
    assert pos["end"][0] > max(xs)
    width = max(p[0] for p in pos.values()) - min(p[0] for p in pos.values())
    height = max(p[1] for p in pos.values()) - min(p[1] for p in pos.values())
    assert 0.4 < width / height < 2.5


def test_deterministic():
    nodes = [f"n{i}" for i in range(50)]
    edges = [(f"n{i}", f"n{(i * 7) % 50}") for i in range(50)]
    layers = {n: i % 4 for i, n in enumerate(nodes)}
    assert layered_layout(nodes, edges, layers) == layered_layout(list(reversed(nodes)), edges, layers)
