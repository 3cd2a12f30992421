"""The explorer page in headless Chromium against a real server: pick a context and an outcome,
read the drawn graph back from vis, click an arrow, and check nothing leaves the server."""

from __future__ import annotations

import pytest
from browser_helpers import PAYLOAD, click_edge, hover_edge, node_point, pick, wait_settled

import causal_web
from causal_web.web.chains import trace_chains
from causal_web.web.queries import concept_neighbourhood

# browser, tab, server, xss_data, xss_server
pytest_plugins = ["browser_fixtures"]

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture(scope="module")
def web():
    return causal_web.load().web


def test_pick_context_and_outcome_and_see_the_chains(tab, server, web):
    page = tab.page
    page.goto(server.url)
    wait_settled(page, "web")
    pick(page, "cw-from", "shared vis", "shared-vision")
    pick(page, "cw-to", "care qual", "care-quality")
    page.select_option("#cw-via", "trust")
    page.click("#cw-trace")
    wait_settled(page, "chains")

    expected = trace_chains(web, "shared-vision", "care-quality", via="trust")
    on_chain = {c for chain in expected.chains for c in chain.passes_through}
    assert on_chain
    drawn = set(page.evaluate("causalWeb.nodes.getIds()"))
    assert on_chain <= drawn
    assert set(page.evaluate("causalWeb.highlightedNodeIds()")) == on_chain
    assert "view=chains" in page.url and "from=shared-vision" in page.url

    # The side panel lists every chain, hop by hop, with each hop's CMOCs and sources.
    panel = page.locator("#cw-summary")
    assert panel.locator("li.cw-chain").count() == len(expected.chains)
    for record in expected.chains[0].records:
        assert panel.locator(f"li.cw-record[data-record='{record}']").count() >= 1
    assert "Aunger et al. 2021" in panel.text_content()

    # Clicking an arrow shows its CMOCs.
    edge = "shared-vision->conflict:-"
    cmocs = page.evaluate("id => causalWeb.edges.get(id).cw.cmocs", edge)
    assert cmocs == ["R21-016"]
    click_edge(page, edge)
    selection = page.locator(f"#cw-details section[data-edge='{edge}']")
    selection.wait_for()
    for cmoc in cmocs:
        assert selection.locator(f"li.cw-record[data-record='{cmoc}']").count() == 1
    assert "Reduced conflict" in selection.text_content()
    tab.screenshot("explorer-chains.png")

    assert tab.foreign_requests(server.url) == []
    assert tab.csp_violations() == []
    assert tab.errors == []


def test_chain_links_point_at_json_and_turtle(tab, server):
    page = tab.page
    page.goto(server.url + "?view=chains&from=shared-vision&to=care-quality&via=trust")
    wait_settled(page, "chains")
    hrefs = page.eval_on_selector_all(
        "#cw-view-head a, #cw-summary a", "links => links.map(a => a.getAttribute('href'))"
    )
    assert "chains?from=shared-vision&to=care-quality&via=trust&max_hops=4" in hrefs
    assert "cmocs/R21-016?format=ttl" in hrefs
    turtle = page.request.get(server.url + "cmocs/R21-016?format=ttl")
    assert turtle.ok and turtle.headers["content-type"].startswith("text/turtle")
    chains = page.request.get(server.url + "chains?from=shared-vision&to=care-quality&via=trust&max_hops=4")
    assert chains.ok and chains.json()["chains"]


def test_neighbourhood_of_a_concept(tab, server, web):
    page = tab.page
    page.goto(server.url)
    wait_settled(page, "web")
    x, y = node_point(page, "faith")
    page.mouse.click(x, y)
    page.locator("#cw-details section[data-node='faith']").wait_for()
    page.locator("#cw-details").get_by_role("button", name="Show its neighbourhood").click()
    wait_settled(page, "neighbourhood")
    hood = concept_neighbourhood(web, "faith")
    expected = {"faith"} | {n.concept for n in hood["upstream"]} | {n.concept for n in hood["downstream"]}
    assert set(page.evaluate("causalWeb.nodes.getIds()")) == expected
    hrefs = page.eval_on_selector_all("#cw-view-head a", "links => links.map(a => a.getAttribute('href'))")
    assert "concepts/faith" in hrefs and "concepts/faith?format=ttl" in hrefs
    assert page.locator("#cw-concept").input_value() == "Faith"
    tab.screenshot("explorer-neighbourhood.png")
    assert tab.foreign_requests(server.url) == []
    assert tab.errors == []


def test_filters_hide_and_restore(tab, server, web):
    page = tab.page
    page.goto(server.url + "?view=web")
    wait_settled(page, "web")
    everything = len(page.evaluate("causalWeb.visibleNodeIds()"))
    assert everything == web.graph.number_of_nodes()

    page.fill("input[name=min_sources]", "2")
    page.dispatch_event("input[name=min_sources]", "input")
    hidden = page.evaluate("causalWeb.edges.get({filter: e => e.hidden}).map(e => e.cw.sources.length)")
    shown = page.evaluate("causalWeb.edges.get({filter: e => !e.hidden}).map(e => e.cw.sources.length)")
    assert shown and min(shown) >= 2 and hidden and max(hidden) < 2

    page.fill("input[name=min_sources]", "1")
    page.dispatch_event("input[name=min_sources]", "input")
    page.uncheck("input[name=phase][value=summary-2022]")
    shown_phases = page.evaluate(
        "causalWeb.edges.get({filter: e => !e.hidden}).map(e => Object.keys(e.cw.by_phase))"
    )
    assert shown_phases and all(set(p) - {"summary-2022"} for p in shown_phases)
    page.check("input[name=phase][value=summary-2022]")

    page.uncheck("input[name=group][value=context]")
    visible = set(page.evaluate("causalWeb.visibleNodeIds()"))
    assert "shared-vision" not in visible and "trust" in visible
    page.check("input[name=group][value=context]")
    assert len(page.evaluate("causalWeb.visibleNodeIds()")) == everything


def test_a_script_in_a_label_is_shown_as_text(tab, xss_server):
    page = tab.page
    page.goto(xss_server.url + "?view=chains&from=shared-vision&to=care-quality&via=trust")
    wait_settled(page, "chains")
    edge = "shared-vision->conflict:-"
    tooltip = hover_edge(page, edge)
    assert PAYLOAD in tooltip
    click_edge(page, edge)
    selection = page.locator(f"#cw-details section[data-edge='{edge}']")
    selection.wait_for()
    assert PAYLOAD in selection.text_content()
    assert PAYLOAD in page.locator("#cw-summary").text_content()
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("img[src=x]").count() == 0
    tab.screenshot("explorer-xss.png")
    assert tab.foreign_requests(xss_server.url) == []
