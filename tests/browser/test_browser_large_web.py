"""A web over the large-web threshold in headless Chromium: drawn at the positions sfdp gave
it with physics off, labels by level of detail; and the bundled web in the explorer, against a
real server, as before (layered columns, vis-network's own labels, every arrow in vis).

The large web is a standalone page (``causal-web render``'s HTML, the same drawing code as the
explorer's), so no server has to load 3,000 CMOCs within the test server's start-up limit."""

from __future__ import annotations

import shutil

import pytest
from browser_helpers import node_point, wait_settled

from causal_web.model.synthetic import generate_dataset
from causal_web.viz.large_layout import LABELLED_ZOOMED_OUT, LABELS_ALL_FROM_SCALE
from causal_web.viz.network import LARGE_WEB, web_layout, web_network
from causal_web.viz.template import render_standalone
from causal_web.web.graph import build_web

# browser, tab, server
pytest_plugins = ["browser_fixtures"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.server,
    pytest.mark.skipif(shutil.which("sfdp") is None, reason="Graphviz sfdp is not installed"),
]

_NETWORK = """() => {
  const net = causalWeb.network;
  const ids = causalWeb.nodes.getIds();  // a large view: only the concepts in play
  return {
    physics: net.physics.options.enabled,
    large: causalWeb.data.large,
    layout: causalWeb.data.layout,
    // getPositions() rounds to whole pixels; the node objects hold what vis draws at.
    positions: Object.fromEntries(ids.map((id) => [id, {x: net.body.nodes[id].x, y: net.body.nodes[id].y}])),
    drawnAt: causalWeb.pos || null,
    sent: Object.fromEntries(causalWeb.data.nodes.map((n) => [n.id, [n.x, n.y]])),
    visLabels: ids.filter((id) => net.body.nodes[id].options.label !== undefined).length,
    nodes: ids.length,
  };
}"""

_FRAME = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


@pytest.fixture(scope="module")
def large_web():
    return build_web(generate_dataset(LARGE_WEB * 5, seed=3))


@pytest.fixture(scope="module")
def large_page(tmp_path_factory, large_web):
    path = tmp_path_factory.mktemp("large") / "web.html"
    path.write_text(render_standalone(web_network(large_web)), encoding="utf-8")
    return path.as_uri()


def test_a_large_web_draws_at_precomputed_positions_with_physics_off(tab, large_page, large_web):
    page = tab.page
    page.goto(large_page)
    wait_settled(page, "web", timeout=120_000)
    found = page.evaluate(_NETWORK)
    assert found["large"] is True and found["layout"] == "sfdp"
    assert found["physics"] is False
    assert len(found["sent"]) == large_web.graph.number_of_nodes() >= LARGE_WEB
    # The page draws each concept where sfdp placed it, and nothing moves after the first frame.
    expected, _columns = web_layout(large_web)
    assert {n: (p["x"], p["y"]) for n, p in found["drawnAt"].items()} == expected
    assert {n: tuple(p) for n, p in found["sent"].items()} == expected
    page.wait_for_timeout(500)
    assert page.evaluate(_NETWORK)["drawnAt"] == found["drawnAt"]
    # vis-network holds none of them until the pointer reaches one (the whole web: no chains),
    # and then at the same position, without a label of its own (the page draws labels).
    assert found["nodes"] == 0
    page.mouse.move(*node_point(page, "trust"))
    page.evaluate(_FRAME)
    now = page.evaluate(_NETWORK)
    assert now["nodes"] > 0 and now["visLabels"] == 0
    for node, point in now["positions"].items():
        assert (point["x"], point["y"]) == expected[node]
    tab.screenshot("large-web-overview.png")
    assert tab.errors == []


def test_labels_of_low_ranked_concepts_show_only_when_zoomed_in(tab, large_page):
    page = tab.page
    page.goto(large_page)
    wait_settled(page, "web", timeout=120_000)
    page.evaluate(_FRAME)
    ranks = page.evaluate("() => Object.fromEntries(causalWeb.data.nodes.map((n) => [n.id, n.cw.rank]))")
    zoomed_out = page.evaluate("() => ({scale: causalWeb.network.getScale(), labelled: causalWeb.labelled})")
    assert zoomed_out["scale"] < LABELS_ALL_FROM_SCALE
    labelled = zoomed_out["labelled"]
    assert 0 < len(labelled) <= LABELLED_ZOOMED_OUT
    assert all(ranks[n] < LABELLED_ZOOMED_OUT for n in labelled)
    assert "trust" in labelled  # the concept most records name (rank 0)

    # The lowest-ranked concept is in view but unlabelled; zoomed in on it, it is labelled.
    low = max(ranks, key=ranks.get)
    assert low not in labelled
    page.evaluate(
        "([id, scale]) => causalWeb.network.moveTo({position: causalWeb.pos[id], scale: scale})",
        [low, LABELS_ALL_FROM_SCALE + 0.2],
    )
    page.evaluate(_FRAME)
    zoomed_in = page.evaluate("() => causalWeb.labelled")
    assert low in zoomed_in
    assert any(ranks[n] >= LABELLED_ZOOMED_OUT for n in zoomed_in)
    tab.screenshot("large-web-zoomed-in.png")

    # Hovering a concept builds its tooltip and hands its arrows to vis-network.
    # The pointer on a concept the page drew hands it, its arrows and their other ends to
    # vis-network, with a tooltip, so they can be hovered and clicked.
    page.evaluate("() => causalWeb.fit(null, false)")
    page.evaluate(_FRAME)
    hovered = page.evaluate("() => causalWeb.data.edges[0].from")
    assert page.evaluate("([id]) => causalWeb.nodes.get(id)", [hovered]) is None
    page.mouse.move(*node_point(page, hovered))
    page.evaluate(_FRAME)
    assert page.evaluate("([id]) => !!causalWeb.nodes.get(id).title", [hovered])
    ends = page.evaluate(
        """([id]) => causalWeb.data.edges.filter((e) => e.from === id || e.to === id)
                                         .map((e) => [e.id, e.from, e.to])""",
        [hovered],
    )
    assert set(page.evaluate("() => causalWeb.edges.getIds()")) >= {e[0] for e in ends}
    assert set(page.evaluate("() => causalWeb.nodes.getIds()")) >= {n for e in ends for n in e[1:]}
    assert tab.errors == []


def test_the_bundled_web_keeps_todays_drawing(tab, server):
    page = tab.page
    page.goto(server.url)
    wait_settled(page, "web")
    found = page.evaluate(_NETWORK)
    assert found["large"] is False and found["layout"] == "layered"
    assert found["physics"] is False
    assert found["visLabels"] == found["nodes"]  # vis-network labels every concept
    assert page.evaluate("() => causalWeb.labelled === undefined && causalWeb.data.lod === null")
    assert page.evaluate("() => causalWeb.edges.length === causalWeb.data.edges.length")
    assert tab.errors == []
