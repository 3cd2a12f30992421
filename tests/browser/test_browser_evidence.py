"""The explorer on tests/data/contested in headless Chromium: the contested arrow is drawn as
such (orange and dashed, with its own legend row), and the Matrix tab opens its cells in the
side panel."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import wait_settled
from live_server import serve

from causal_web.viz.styles import CONTESTED_STYLE, VALENCE_STYLES

# browser, tab
pytest_plugins = ["browser_fixtures"]

pytestmark = [pytest.mark.browser, pytest.mark.server]

CONTESTED = Path(__file__).resolve().parents[1] / "data" / "contested"


@pytest.fixture(scope="module")
def contested_server(tmp_path_factory):
    """The service on a folder whose two bases give opposite outcomes for one configuration."""
    with serve(tmp_path_factory.mktemp("serve-contested") / "server.log", CONTESTED) as (url, _process):
        yield url


def test_the_contested_arrow_is_drawn_as_contested(tab, contested_server):
    page = tab.page
    page.goto(contested_server)
    wait_settled(page, "web")
    # C-1 (review-a): more trust, more joint working; C-2 (interviews-b): less joint working
    drawn = page.evaluate(
        """id => {
            const edge = causalWeb.network.body.edges[id];
            return {status: causalWeb.edges.get(id).cw.evidence_status,
                    colour: edge.options.color.color, dashes: edge.options.dashes};
        }""",
        "trust->joint-working",
    )
    assert drawn == {"status": "contested", "colour": CONTESTED_STYLE.colour, "dashes": True}
    # both records agree that a pooled budget goes with more trust: an ordinary '+' arrow
    agreed = page.evaluate(
        "id => [causalWeb.network.body.edges[id].options.color.color,"
        " causalWeb.network.body.edges[id].options.dashes]",
        "pooled-budget->trust",
    )
    assert agreed == [VALENCE_STYLES["+"].colour, False]
    row = page.locator(".cw-legend-row[data-valence='contested']")
    assert row.count() == 1 and "Contested" in row.text_content()
    assert tab.errors == []
    tab.screenshot("contested-arrow.png")
