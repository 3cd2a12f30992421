"""Colours, shapes and sizes: every category is told apart by shape and by colour, and signs by colour."""

from __future__ import annotations

import pytest

from causal_web.model.records import ConceptGroup
from causal_web.viz.styles import (
    CATEGORIES,
    SIGN_STYLES,
    STAGE_HEADINGS,
    category_style,
    edge_width,
    node_category,
    node_size,
    sign_style,
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


def test_node_colours_keep_clear_of_the_sign_colours():
    sign_colours = {s.colour for s in SIGN_STYLES.values()}
    assert not sign_colours & {s.colour for s in CATEGORIES.values()}


@pytest.mark.parametrize(("sign", "colour"), [("+", "#1b7837"), ("-", "#b2182b"), ("?", "#7f7f7f")])
def test_sign_colours(sign, colour):
    assert sign_style(sign).colour == colour


def test_unknown_sign_reads_as_unspecified():
    assert sign_style("±") is SIGN_STYLES["?"]
    assert SIGN_STYLES["?"].dashes and not SIGN_STYLES["+"].dashes


def test_sizes_grow_with_evidence_and_are_capped():
    sizes = [node_size(n) for n in (0, 1, 4, 20, 100, 10_000)]
    assert sizes == sorted(sizes)
    assert sizes[0] >= 10 and sizes[-1] <= 44
    widths = [edge_width(n) for n in (0, 1, 2, 5, 50)]
    assert widths == sorted(widths)
    assert edge_width(1) == 1.0 and widths[-1] <= 13


def test_every_column_has_a_heading():
    assert {s.column for s in CATEGORIES.values()} <= set(STAGE_HEADINGS)
