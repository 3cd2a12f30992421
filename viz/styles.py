"""How concepts and causal edges look: colour and shape by role and group, size by evidence.

One table serves the interactive view (vis-network shapes) and the paper figures (Graphviz
shapes), so a legend means the same thing in both. Colours avoid green, red and purple, which
are kept for the valence of arrows, and every category has its own shape as well as its own
colour, so the figure still reads in greyscale and for colour-blind readers. An arrow's
valence is its records' stated valences summarised (see :func:`causal_web.web.graph.summary_valence`):
``+`` enables, ``-`` constrains, ``mixed`` when stated valences disagree, ``unspecified`` when
none is stated; an unsigned record never turns a signed arrow grey.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "CATEGORIES",
    "CONTESTED_STYLE",
    "DIM_COLOUR",
    "HIGHLIGHT_COLOUR",
    "STAGE_HEADINGS",
    "VALENCE_STYLES",
    "CategoryStyle",
    "ValenceStyle",
    "arrow_style",
    "category_style",
    "edge_width",
    "node_category",
    "node_size",
    "valence_style",
]


@dataclass(frozen=True, slots=True)
class CategoryStyle:
    """The look of one kind of concept."""

    key: str
    label: str
    colour: str
    border: str
    shape: str  # vis-network shape
    figure_shape: str  # Graphviz shape
    column: int  # preferred left-to-right stage, from contexts to long-term outcomes


@dataclass(frozen=True, slots=True)
class ValenceStyle:
    """The look of arrows of one summary valence."""

    valence: str
    label: str
    colour: str
    dashes: bool


# Ordered as a reader follows the programme theory: contexts, mechanisms, behaviour, outcomes.
CATEGORIES: dict[str, CategoryStyle] = {
    style.key: style
    for style in (
        CategoryStyle("context", "Context", "#4e79a7", "#2e4a66", "square", "box", 0),
        CategoryStyle(
            "supporting-mechanism", "Supporting mechanism", "#edc948", "#9c8320", "triangle", "octagon", 1
        ),
        CategoryStyle("core-mechanism", "Core mechanism", "#f28e2b", "#a35a12", "star", "doubleoctagon", 1),
        CategoryStyle("mechanism", "Other mechanism", "#ffbe7d", "#b07b43", "diamond", "ellipse", 1),
        CategoryStyle("behaviour", "Behaviour", "#b07aa1", "#6e4763", "triangleDown", "parallelogram", 2),
        CategoryStyle(
            "performance-domain", "Performance domain", "#499894", "#275653", "hexagon", "hexagon", 3
        ),
        CategoryStyle("outcome", "Outcome", "#76b7b2", "#3f7571", "dot", "box", 4),
        CategoryStyle(
            "long-term-outcome", "Long-term outcome", "#2f4b7c", "#16243d", "dot", "tripleoctagon", 5
        ),
        CategoryStyle("other", "Other concept", "#bab0ac", "#6f6865", "dot", "box", 2),
    )
}

VALENCE_STYLES: dict[str, ValenceStyle] = {
    style.valence: style
    for style in (
        ValenceStyle("+", "Enables (+): more of one, more of the other", "#1b7837", False),
        ValenceStyle("-", "Constrains (−): more of one, less of the other", "#b2182b", False),
        ValenceStyle("mixed", "Mixed: the stated valences disagree", "#762a83", False),
        ValenceStyle("unspecified", "Valence not stated", "#7f7f7f", True),
    )
}

# An arrow whose independent bases disagree (evidence_status "contested", docs/evidence.md):
# orange and dashed whatever its valence, so it stands out in colour and in greyscale.
CONTESTED_STYLE = ValenceStyle("contested", "Contested: independent bases disagree", "#e66101", True)


def arrow_style(valence: str, evidence_status: str = "") -> ValenceStyle:
    """The look of an arrow: its summary valence's, or the contested style."""
    return CONTESTED_STYLE if evidence_status == "contested" else valence_style(valence)


# Headings of the whole web's columns (CategoryStyle.column), left to right.
STAGE_HEADINGS = {
    0: "Contexts",
    1: "Mechanisms",
    2: "Behaviour",
    3: "Performance domains",
    4: "Outcomes",
    5: "Long-term outcomes",
}

HIGHLIGHT_COLOUR = "#111111"
DIM_COLOUR = "#d9d9d9"

_ROLE_CATEGORIES = {
    "context": "context",
    "mechanism": "mechanism",
    "behaviour": "behaviour",
    "outcome": "outcome",
}


def node_category(role: str | None, group: str | None) -> str:
    """The category that styles a concept: its group if it has one, else its role."""
    if group and group in CATEGORIES:
        return group
    return _ROLE_CATEGORIES.get(role or "", "other")


def category_style(role: str | None, group: str | None) -> CategoryStyle:
    return CATEGORIES[node_category(role, group)]


def valence_style(valence: str) -> ValenceStyle:
    """Style of an arrow's summary valence; anything unknown reads as unspecified."""
    return VALENCE_STYLES.get(valence, VALENCE_STYLES["unspecified"])


def node_size(records: int) -> float:
    """Node radius in pixels from the number of CMOCs and stated links naming the concept.

    Square-root scaling keeps area roughly proportional to evidence, capped so a hub of a
    synthetic web does not cover its neighbours.
    """
    return round(min(10 + 4 * math.sqrt(max(records, 0)), 44), 1)


def edge_width(bases: int) -> float:
    """Arrow width in pixels from the number of independent evidence bases behind it."""
    return round(1 + 2 * min(max(bases, 1) - 1, 6), 1)
