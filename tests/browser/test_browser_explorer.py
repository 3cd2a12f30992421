"""The explorer page in headless Chromium against a real server: pick a context and an outcome,
read the drawn graph back from vis, click an arrow, and check nothing leaves the server."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import PAYLOAD, click_edge, hover_edge, node_point, pick, wait_settled
from live_server import serve

import causal_web
from causal_web.web.chains import trace_chains
from causal_web.web.queries import concept_neighbourhood

# browser, tab, server, xss_data, xss_server
pytest_plugins = ["browser_fixtures"]

pytestmark = [pytest.mark.browser, pytest.mark.server]

ICAMO = Path(__file__).resolve().parents[1] / "data" / "icamo"


@pytest.fixture(scope="module")
def web():
    return causal_web.load().web


def test_pick_context_and_outcome_and_see_the_chains(tab, server, web):
    page = tab.page
    page.goto(server.url)
    wait_settled(page, "web")
    pick(page, "cw-from", "shared vis", "shared-vision")
    pick(page, "cw-to", "collaborative beh", "collaborative-behaviour")
    page.select_option("#cw-via", "trust")
    page.click("#cw-trace")
    wait_settled(page, "chains")

    expected = trace_chains(web, "shared-vision", "collaborative-behaviour", via="trust")
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
    # shared-vision -> trust (R21-016) -> collaborative-behaviour (S22-002): no recorded nesting
    # joins the two, so the second hop is the tool's hypothesis.
    hypotheses = panel.locator("li.cw-hop.cw-hypothesis")
    assert hypotheses.count() >= 1
    assert "Hypothesis" in hypotheses.first.text_content()

    # Clicking an arrow shows its CMOCs, valence and evidence.
    edge = "shared-vision->conflict"
    cmocs = page.evaluate("id => causalWeb.edges.get(id).cw.cmocs", edge)
    assert cmocs == ["R21-016"]
    click_edge(page, edge)
    selection = page.locator(f"#cw-details section[data-edge='{edge}']")
    selection.wait_for()
    for cmoc in cmocs:
        assert selection.locator(f"li.cw-record[data-record='{cmoc}']").count() == 1
    text = selection.text_content()
    assert "Reduced conflict" in text and "Constrains (−)" in text
    assert "Stated valences: 1 −" in text and "ioc-synthesis" in text
    evidence = selection.locator("li.cw-evidence-item[data-judgement='confirms']")
    assert evidence.count() == 1 and "Table 3, row 16" in evidence.text_content()
    tab.screenshot("explorer-chains.png")

    assert tab.foreign_requests(server.url) == []
    assert tab.csp_violations() == []
    assert tab.errors == []


def test_chain_links_point_at_json_and_turtle(tab, server):
    page = tab.page
    page.goto(server.url + "?view=chains&from=shared-vision&to=collaborative-behaviour&via=trust")
    wait_settled(page, "chains")
    hrefs = page.eval_on_selector_all(
        "#cw-view-head a, #cw-summary a", "links => links.map(a => a.getAttribute('href'))"
    )
    question = "chains?from=shared-vision&to=collaborative-behaviour&via=trust&max_hops=4"
    assert question in hrefs
    assert "cmocs/R21-016?format=ttl" in hrefs
    turtle = page.request.get(server.url + "cmocs/R21-016?format=ttl")
    assert turtle.ok and turtle.headers["content-type"].startswith("text/turtle")
    chains = page.request.get(server.url + question)
    assert chains.ok and chains.json()["chains"]


def test_a_cut_off_record_shows_its_uncoded_fragment(tab, server):
    # R21-022: legal agreements -> greater initial trust -> greater risk threshold and a cell
    # cut off after "greater ambi". The fragment is shown as published and marked not coded.
    page = tab.page
    page.goto(server.url + "?view=chains&from=legal-agreements&to=risk-threshold")
    wait_settled(page, "chains")
    record = page.locator("#cw-summary li.cw-record[data-record='R21-022']").first
    record.wait_for()
    assert record.locator(".cw-flag-incomplete").text_content() == "incomplete"
    assert record.locator(".cw-flag-inferred").count() == 1  # the column split is the curator's
    fragment = record.locator("li.cw-part.cw-uncoded")
    assert fragment.count() == 1
    assert fragment.locator("q").text_content() == "greater ambi[TRUNCATED]"
    assert fragment.locator(".cw-not-coded").text_content() == "not coded"
    coded = record.locator("li.cw-part:not(.cw-uncoded) .cw-concept").all_text_contents()
    assert coded == ["legal-agreements", "initial-trust", "risk-threshold"]
    slots = record.locator("dt.cw-slot-name").evaluate_all("dts => dts.map(d => d.dataset.slot)")
    assert slots == ["context", "mechanism", "outcome"]
    assert "incomplete" in page.locator("#cw-summary li.cw-hop").first.text_content()

    # The same record behind its arrow, in the neighbourhood of risk threshold (the chains view
    # draws the whole web, where this arrow runs under others).
    page.goto(server.url + "?view=concept&id=risk-threshold")
    wait_settled(page, "neighbourhood")
    edge = "initial-trust->risk-threshold"
    click_edge(page, edge)
    selection = page.locator(f"#cw-details section[data-edge='{edge}']")
    selection.wait_for()
    assert selection.locator("li.cw-part.cw-uncoded .cw-not-coded").count() == 1
    assert "Table 3, row 22" in selection.locator("li.cw-evidence-item").text_content()
    assert "cut off in its source" in selection.text_content()
    tab.screenshot("explorer-incomplete.png")
    assert tab.errors == []


def test_the_conflict_trust_arrow_keeps_its_sign(tab, server):
    page = tab.page
    page.goto(server.url + "?view=concept&id=trust")
    wait_settled(page, "neighbourhood")
    edge = "conflict->trust"
    assert page.evaluate("id => causalWeb.edges.get(id).cw.valence_counts", edge) == {
        "+": 0,
        "-": 6,
        "unspecified": 1,
    }
    click_edge(page, edge)
    selection = page.locator(f"#cw-details section[data-edge='{edge}']")
    selection.wait_for()
    assert selection.locator(".cw-valence").get_attribute("data-valence") == "-"
    assert selection.locator(".cw-valence-counts").text_content() == "Stated valences: 6 −, 1 unspecified"
    assert selection.locator("li.cw-record").count() == 7  # R21-013 to R21-018 and B21-L05
    assert "typical-outcome" in selection.locator(".cw-record-kinds").text_content()
    assert tab.errors == []


def test_background_records_only_when_ticked(tab, server):
    page = tab.page
    page.goto(server.url + "?view=chains&from=inter-organisational-collaboration&to=performance-improvement")
    wait_settled(page, "chains")
    assert page.locator("#cw-summary .cw-empty").count() == 1
    assert not page.is_checked("#cw-background")
    page.check("#cw-background")
    page.click("#cw-trace")
    page.wait_for_function("() => causalWeb.data.chains && causalWeb.data.chains.include_background")
    wait_settled(page, "chains")
    assert "include_background=true" in page.url
    records = page.eval_on_selector_all(
        "#cw-summary li.cw-record", "items => items.map(li => li.dataset.record)"
    )
    assert records == ["E22-L08"]
    assert "background" in page.locator("#cw-summary li.cw-hop").text_content()
    page.reload()
    wait_settled(page, "chains")
    assert page.is_checked("#cw-background")
    assert tab.errors == []


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
    page.goto(xss_server.url + "?view=chains&from=shared-vision&to=collaborative-behaviour&via=trust")
    wait_settled(page, "chains")
    edge = "shared-vision->conflict"
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


@pytest.fixture(scope="module")
def icamo_server(tmp_path_factory):
    """The service on the ICAMO test review: a configuration with every slot filled."""
    with serve(tmp_path_factory.mktemp("serve-icamo") / "server.log", ICAMO) as (url, _process):
        yield url


def test_the_side_panel_shows_every_part_of_a_configuration(tab, icamo_server):
    # ICAMO-1 of tests/data/icamo/records.yaml: a title, a statement, all seven slots (five of
    # its parts uncoded), an "and", a "tempers" and a stated "enables", two evidence items.
    page = tab.page
    page.goto(icamo_server + "?view=concept&id=information")
    wait_settled(page, "neighbourhood")
    edge = "joint-training->information"
    click_edge(page, edge)
    selection = page.locator(f"#cw-details section[data-edge='{edge}']")
    selection.wait_for()
    record = selection.locator("li.cw-record[data-record='ICAMO-1']")
    assert record.locator(".cw-record-title").text_content() == "Shared money, shared trust"
    assert record.locator(".cw-statement").text_content().startswith("If partners pool a budget")
    slots = record.locator("dt.cw-slot-name").evaluate_all("dts => dts.map(d => d.dataset.slot)")
    assert slots == [
        "intervention",
        "context",
        "actor",
        "mechanism",
        "mechanism_resource",
        "mechanism_response",
        "outcome",
    ]
    uncoded = record.locator("li.cw-part.cw-uncoded q").all_text_contents()
    assert uncoded == [
        "Low staff turnover",
        "A history of working together",
        "Middle managers",
        "Reliance on one another",
        "Fewer duplicated referrals",
    ]
    assert record.locator(".cw-not-coded").count() == 5
    relations = record.locator("ul.cw-relations li").all_text_contents()
    assert relations == [
        "together: Pooled budget (shared-budget) and Joint training days (joint-training)",
        "Low staff turnover (not coded) tempers Greater trust (trust)",
        "Joint training days (joint-training) enables More information about the partner (information) (+)",
    ]
    items = record.locator("li.cw-evidence-item")
    assert items.count() == 2
    assert "Table 2, row 1" in items.nth(0).text_content()
    assert "review authors' statement" in items.nth(0).text_content()
    second = items.nth(1).text_content()
    assert "p. 7" in second and "primary study finding" in second
    assert "managers came to trust the partners they had trained with" in second
    assert record.locator(".cw-flag-inferred").count() == 1  # split_inferred
    tab.screenshot("explorer-icamo.png")
    assert tab.errors == []
