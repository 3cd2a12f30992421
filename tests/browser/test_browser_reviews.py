"""The explorer on two reviews served side by side: `/?review=ID` draws that review alone, and
every request the page makes carries the review."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_helpers import wait_settled
from live_server import serve

from causal_web.model.loading import load_dataset
from causal_web.resources import bundled_data_dir

pytest_plugins = ["browser_fixtures"]

pytestmark = [pytest.mark.browser, pytest.mark.server]

ICAMO = Path(__file__).resolve().parents[1] / "data" / "icamo"


@pytest.fixture(scope="module")
def two_reviews(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("two-reviews")
    shutil.copytree(ICAMO, root / "icamo")
    with serve(root / "serve.log", data=[bundled_data_dir(), root / "icamo"]) as (url, _process):
        yield url


def test_the_explorer_draws_one_review(tab, two_reviews: str) -> None:
    page = tab.page
    page.goto(two_reviews + "?review=tests")
    wait_settled(page, "web")
    drawn = set(page.evaluate("causalWeb.nodes.getIds()"))
    own = set(load_dataset(ICAMO).concepts)
    assert drawn and drawn <= own  # none of the bundled review's own concepts
    drawings = [u for u in tab.requests if urlsplit(u).path.endswith("/viz/web")]
    assert drawings and all(parse_qs(urlsplit(u).query).get("review") == ["tests"] for u in drawings)
    assert tab.errors == []

    page.goto(two_reviews)  # without review=: both reviews
    wait_settled(page, "web")
    every = set(page.evaluate("causalWeb.nodes.getIds()"))
    assert drawn < every and every - own
