"""The explorer on tests/data/contested in headless Chromium: the contested arrow is drawn as
such (orange and dashed, with its own legend row), and the Matrix tab opens its cells in the
side panel."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import wait_settled
from live_server import serve

from causal_web.viz.styles import CONTESTED_STYLE, VALENCE_STYLES

# browser, tab, server
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


def test_the_matrix_tab_opens_and_a_cell_shows_its_cmocs(tab, server):
    from causal_web.evidence.matrix import evidence_matrix
    from causal_web.knowledge_base import load

    expected = evidence_matrix(load().dataset, "context", "mechanism")
    page = tab.page
    page.goto(server.url)
    wait_settled(page, "web")
    page.click("#cw-matrix-tab")
    page.locator("table.cw-matrix-table").wait_for()
    assert page.locator("#cw-network").is_hidden()
    assert page.locator("td.cw-matrix-cell").count() == len(expected["cells"])
    # R21-016: shared vision enables reduced conflict (review-2021.yaml, Table 3 row 16)
    page.click("td.cw-matrix-cell[data-row='shared-vision'][data-col='conflict']")
    selection = page.locator("#cw-details section.cw-matrix-selection")
    selection.wait_for()
    ids = selection.locator("li.cw-record").evaluate_all("items => items.map(i => i.dataset.record)")
    cell = next(c for c in expected["cells"] if (c["row"], c["col"]) == ("shared-vision", "conflict"))
    assert ids == cell["cmocs"] and "R21-016" in ids
    assert "provisional" in selection.locator(".cw-matrix-status").text_content()
    selection.locator("li.cw-evidence-item").first.wait_for()
    item = "aunger-2021-review (Table 3, row 16, PARTNERSHIP FUNCTIONING / Conflict): confirms"
    assert selection.locator("li.cw-evidence-item").all_text_contents() == [item]
    # another question: IOC types by core mechanism
    page.select_option("#cw-matrix-rows", "ioc_type")
    page.select_option("#cw-matrix-cols", "core-mechanism")
    page.click("#cw-matrix-show")
    page.wait_for_function(
        # the title is replaced while the new matrix renders: wait for it to be back, with the new rows
        "() => document.querySelector('.cw-matrix-title')?.textContent.includes('ioc_type')"
    )
    by_type = evidence_matrix(load().dataset, "ioc_type", "core-mechanism")
    assert page.locator("td.cw-matrix-cell").count() == len(by_type["cells"])
    # back to the web: the drawing returns
    page.click(".cw-tab[data-tab='web']")
    assert page.locator("#cw-network").is_visible()
    assert tab.errors == []
    assert tab.foreign_requests(server.url) == []
