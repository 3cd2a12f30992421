"""Colours, shapes and sizes: every category is told apart by shape and by colour, and valences by colour."""

from __future__ import annotations

import pytest

from causal_web.model.records import ConceptGroup
from causal_web.viz.styles import (
    CATEGORIES,
    STAGE_HEADINGS,
    VALENCE_STYLES,
    category_style,
    edge_width,
    node_category,
    node_size,
    valence_style,
)


@pytest.mark.parametrize(
    ("role", "group", "expected"),
    [
        ("context", None, "context"),
        ("mechanism", "core-mechanism", "core-mechanism"),
        ("mechanism", "supporting-mechanism", "supporting-mechanism"),
        ("mechanism", "performance-domain", "performance-domain"),
        ("outcome", "long-term-outcome", "long-term-outcome"),
        ("mechanism", "", "mechanism"),
        ("outcome", None, "outcome"),
        ("behaviour", None, "behaviour"),
        ("", None, "other"),
        ("something-new", "unknown-group", "other"),
    ],
)
def test_group_wins_over_role(role, group, expected):
    assert node_category(role, group) == expected
    assert category_style(role, group).key == expected


def test_every_concept_group_of_the_model_has_a_style():
    for group in ConceptGroup:
        assert group.value in CATEGORIES


def test_named_categories_have_distinct_shapes_and_colours():
    named = [s for s in CATEGORIES.values() if s.key != "other"]
    assert len({s.colour for s in named}) == len(named)
    # Long-term outcomes share the dot with outcomes and are told apart by a thick dark ring.
    looks = {(s.shape, s.colour) for s in named}
    assert len(looks) == len(named)
    assert len({s.figure_shape for s in named if s.figure_shape != "box"}) == len(
        [s for s in named if s.figure_shape != "box"]
    )


def test_node_colours_keep_clear_of_the_valence_colours():
    valence_colours = {s.colour for s in VALENCE_STYLES.values()}
    assert not valence_colours & {s.colour for s in CATEGORIES.values()}


@pytest.mark.parametrize(
    ("valence", "colour"),
    [("+", "#1b7837"), ("-", "#b2182b"), ("mixed", "#762a83"), ("unspecified", "#7f7f7f")],
)
def test_valence_colours(valence, colour):
    assert valence_style(valence).colour == colour


def test_every_summary_valence_has_its_own_colour_and_words():
    assert set(VALENCE_STYLES) == {"+", "-", "mixed", "unspecified"}
    assert len({s.colour for s in VALENCE_STYLES.values()}) == 4
    assert VALENCE_STYLES["+"].label.startswith("Enables")
    assert VALENCE_STYLES["-"].label.startswith("Constrains")


def test_unknown_valence_reads_as_unspecified():
    assert valence_style("?") is VALENCE_STYLES["unspecified"]
    assert VALENCE_STYLES["unspecified"].dashes
    assert not any(VALENCE_STYLES[v].dashes for v in ("+", "-", "mixed"))


def test_sizes_grow_with_evidence_and_are_capped():
    sizes = [node_size(n) for n in (0, 1, 4, 20, 100, 10_000)]
    assert sizes == sorted(sizes)
    assert sizes[0] >= 10 and sizes[-1] <= 44
    widths = [edge_width(n) for n in (0, 1, 2, 5, 50)]
    assert widths == sorted(widths)
    # One independent evidence base is a hairline; two are visibly wider; the width is capped.
    assert edge_width(1) == 1.0 and edge_width(2) == 3.0 and widths[-1] <= 13


def test_every_column_has_a_heading():
    assert {s.column for s in CATEGORIES.values()} <= set(STAGE_HEADINGS)
