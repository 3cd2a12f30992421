"""A resource's HTML page in headless Chromium: what a browser gets when it opens a data IRI.
It shows the resource's values as text, runs nothing, and loads nothing but itself."""

from __future__ import annotations

import pytest
from browser_helpers import PAYLOAD

# browser, tab, server, xss_data, xss_server
pytest_plugins = ["browser_fixtures"]

pytestmark = [pytest.mark.browser, pytest.mark.server]


def test_a_record_page_reads_as_a_table_and_links_its_representations(tab, server):
    page = tab.page
    url = server.url + "cmocs/R21-016"
    response = page.goto(url)
    assert response.headers["content-type"].startswith("text/html")
    assert page.locator("h1").text_content() == "R21-016"
    rows = page.locator("table").first.locator("tr")
    assert rows.count() > 5
    assert "Shared vision" in page.locator("body").text_content()
    # follow the link to the slot's own page, then to its Turtle
    page.click('a[href="/cmocs/R21-016/context/1"]')
    assert page.url == server.url + "cmocs/R21-016/context/1"
    assert "Shared vision" in page.locator("table").first.text_content()
    turtle = page.request.get(server.url + "cmocs/R21-016/context/1?format=ttl")
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert tab.foreign_requests(server.url) == []
    assert tab.csp_violations() == []
    assert tab.errors == []


def test_a_script_in_the_data_is_shown_not_run(tab, xss_server):
    page = tab.page
    url = xss_server.url + "cmocs/R21-016/mechanism/1"
    page.goto(url)
    assert PAYLOAD in page.locator("table").first.text_content()
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert tab.requests == [url]  # no image, script or style sheet fetched
    assert tab.csp_violations() == []


def test_the_vocabulary_page_anchors_its_terms(tab, server):
    page = tab.page
    page.goto(server.url + "ns#CMOC")
    assert page.locator("h2#CMOC").count() == 1
    assert tab.foreign_requests(server.url) == []
