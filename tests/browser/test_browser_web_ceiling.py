"""The explorer in headless Chromium on a synthetic web over its (lowered) ceiling: the page
draws only the top concepts and says, in the view's head, how many of how many it shows and
where the others are. ``?view=web&max_concepts=`` reaches the drawing's route."""

from __future__ import annotations

import pytest
from browser_helpers import wait_settled
from live_server import serve

import causal_web
from causal_web.model.synthetic import write_synthetic

# browser, tab
pytest_plugins = ["browser_fixtures"]

pytestmark = [pytest.mark.browser, pytest.mark.server]

SHOWN = 20


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    folder = write_synthetic(tmp_path_factory.mktemp("synthetic") / "cmocs", 300, seed=6)
    concepts = len(causal_web.load(folder).dataset.concepts)
    with serve(tmp_path_factory.mktemp("serve-synthetic") / "server.log", folder) as (url, _process):
        yield url, concepts


def test_the_page_says_it_shows_n_of_m_concepts(tab, synthetic):
    url, concepts = synthetic
    assert concepts > SHOWN
    page = tab.page
    page.goto(f"{url}?view=web&max_concepts={SHOWN}")
    wait_settled(page, "web")
    assert page.evaluate("() => causalWeb.data.nodes.length") == SHOWN
    notice = page.locator("#cw-notice")
    assert notice.is_visible()
    text = notice.text_content()
    assert f"Showing {SHOWN} of {concepts} concepts" in text
    assert "Neighbourhood tab" in text and "Chains tab" in text
    # The drawing came from the route with the page's limit, and the page's link says so.
    drawing = page.locator(".cw-view-links a", has_text="Drawing as JSON").get_attribute("href")
    assert f"max_concepts={SHOWN}" in drawing
    tab.screenshot("web-ceiling-notice.png")

    # Without a limit in the address the web (under the default ceiling) has no notice.
    page.goto(f"{url}?view=web")
    wait_settled(page, "web")
    assert page.evaluate("() => causalWeb.data.nodes.length") == concepts
    assert page.locator("#cw-notice").count() == 0
    assert tab.errors == []
