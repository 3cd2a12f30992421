"""The SPARQL editor (YASGUI at /sparql) in headless Chromium against a real server: the named
queries are its tabs, running one draws its rows, and nothing is fetched from anywhere else."""

from __future__ import annotations

import pytest

import causal_web
from causal_web.rdf.named_queries import named_queries

# browser, tab, server
pytest_plugins = ["browser_fixtures"]

pytestmark = [pytest.mark.browser, pytest.mark.server]


def test_run_a_named_query_in_the_editor(tab, server):
    page = tab.page
    page.goto(server.url + "sparql")
    queries = list(named_queries().values())
    titles = [query.title for query in queries]
    page.wait_for_selector(".yasqe_queryButton")
    shown = page.evaluate(
        "Array.from(document.querySelectorAll('.tabsList [role=tab]')).map(e => e.textContent.trim())"
    )
    assert [t.rstrip("✖").strip() for t in shown] == titles

    first = queries[0]
    expected = causal_web.load().store.query(first.text, use_default_graph_as_union=True)
    expected_rows = len(list(expected))
    assert expected_rows > 0
    page.locator(".yasqe_queryButton:visible").click()
    page.wait_for_selector(".yasr table tbody tr")
    assert page.locator(".yasr table tbody tr").count() == expected_rows
    headers = page.evaluate(
        "Array.from(document.querySelectorAll('.yasr table thead th')).map(e => e.textContent)"
    )
    variables = [v.value for v in expected.variables]
    assert [h.strip() for h in headers if h.strip()] == variables

    # another tab, another query
    other = next(q for q in queries[1:] if q.name == "stated-links")
    page.locator(".tabsList [role=tab]", has_text=other.title).click()
    page.locator(".yasqe_queryButton:visible").click()
    other_rows = len(list(causal_web.load().store.query(other.text, use_default_graph_as_union=True)))
    page.wait_for_function(
        "n => document.querySelectorAll('.tabPanel.active .yasr table tbody tr').length === n",
        arg=min(other_rows, 50),
    )

    assert tab.foreign_requests(server.url) == []
    assert tab.csp_violations() == []
    assert tab.errors == []
    tab.screenshot("sparql-editor.png")
