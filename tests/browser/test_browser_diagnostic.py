"""The explorer's Diagnostic tab in headless Chromium against a real server: fill in the form,
score it, read the report, and check its figures against POST /diagnostic/score."""

from __future__ import annotations

import httpx
import pytest
from browser_helpers import wait_settled

# browser, tab, server
pytest_plugins = ["browser_fixtures"]

pytestmark = [pytest.mark.browser, pytest.mark.server]


def _answers(items: list[dict]) -> dict[str, int]:
    # Neutral everywhere but the conflict items C02 (slow pace, constrains) = 5 and C04 (shared
    # vision, enables) = 1: conflict = (3 + (6 - 5) + 3 + 1 + 3 + 3) / 6 = 14 / 6 = 2.33, at risk.
    answers = {item["id"]: 3 for item in items}
    answers.update(C02=5, C04=1)
    return answers


def test_fill_in_score_and_read_the_report(tab, server):
    page = tab.page
    page.goto(server.url)
    page.click("#cw-diagnostic-tab")
    page.wait_for_selector("#cw-diag-form fieldset")
    notice = page.inner_text("#cw-diag-instrument")
    assert "Readiness diagnostic derived from the causal web (not the study's survey)" in notice
    items = httpx.get(server.url + "diagnostic").json()["items"]
    assert page.locator(".cw-diag-item").count() == len(items)
    answers = _answers(items)

    # A missing answer is refused, and the page says which item.
    for item_id, value in answers.items():
        if item_id != "F05":
            page.check(f"#cw-diag-{item_id}-{value}")
    page.click("#cw-diag-score")
    page.wait_for_selector("#cw-diag-status.cw-error")
    assert page.inner_text("#cw-diag-status") == "item F05 is not answered"

    page.check(f"#cw-diag-F05-{answers['F05']}")
    page.click("#cw-diag-score")
    page.wait_for_selector("#cw-diag-report table")
    tab.screenshot("diagnostic-report.png")
    expected = httpx.post(server.url + "diagnostic/score", json={"answers": answers}).json()

    shown = page.eval_on_selector_all(
        ".cw-diag-table tr[data-mechanism]",
        "rows => rows.map(r => [r.dataset.mechanism, Number(r.dataset.score), r.dataset.atRisk === 'true',"
        " r.querySelector('.cw-diag-score').textContent])",
    )
    assert [(m, s, r) for m, s, r, _text in shown] == [
        (m["id"], m["score"], m["at_risk"]) for m in expected["mechanisms"]
    ]
    assert [text for *_rest, text in shown] == [f"{m['score']:.2f}" for m in expected["mechanisms"]]
    conflict = next(m for m in expected["mechanisms"] if m["id"] == "conflict")
    assert (conflict["score"], conflict["at_risk"]) == (2.33, True)

    domains = page.eval_on_selector_all(
        ".cw-diag-domain",
        "boxes => boxes.map(b => [b.dataset.domain, Number(b.dataset.score), Number(b.dataset.level)])",
    )
    assert domains == [[d["id"], d["score"], d["level"]] for d in expected["maturity"]["domains"]]
    assert page.locator(".cw-diag-domain svg").count() == 4

    # The finding links each weak item to its evidence in the web.
    finding = page.locator(".cw-diag-finding[data-mechanism='conflict']")
    assert finding.locator("li[data-item]").evaluate_all("els => els.map(e => e.dataset.item)") == [
        "C02",
        "C04",
    ]
    hrefs = finding.locator("li[data-item='C04'] a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    assert hrefs == ["cmocs/R21-016", "?view=chains&from=shared-vision&to=trust", "?view=concept&id=conflict"]
    assert httpx.get(server.url + hrefs[0]).json()["id"] == "R21-016"
    prompts = finding.locator(".cw-diag-prompts li").all_inner_texts()
    assert (
        "Work towards shared vision; it reduces conflict and so supports trust (R21-016; 1 base)." in prompts
    )

    # Following the chains link opens the explorer on that question.
    finding.locator("li[data-item='C04'] a").nth(1).click()
    wait_settled(page, "chains")
    assert "from=shared-vision" in page.url
    assert tab.foreign_requests(server.url) == []
    assert tab.csp_violations() == []
