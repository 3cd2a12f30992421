"""The time budget of chain tracing covers the whole call: the search, the joins of the paths
found, their ranking and the building of the chains returned.

The clock here is the test's own: ``time.perf_counter`` stands still except where a test moves
it on (each chain built, or each path's joins, "takes" a set time), and the clock is read at every
step (``CHECK_EVERY = 1``), so when the budget runs out follows from the arithmetic, not the machine.

The question: shared vision to collaborative behaviour within three hops. Shared vision's only
finding is R21-016 (shared vision, through reduced conflict, to enhanced trust). Trust goes on to
collaborative behaviour through S22-002 (trust is one of its listed mechanisms), and in one more
hop through faith (R21-019 and R21-020 to faith; S22-002 and B21-L03 on), perception of progress
(R21-019, R21-020; S22-002) and risk threshold (B21-L07; B21-L02): four chains, and no concept is
narrower than either end. Every chain starts on R21-016's hop, which has one evidence base, so all
four tie on weakest bases (1). R21-016's split is the curator's inference, so that hop is flagged
in all four; the two-hop chain has no other flagged hop, while each three-hop chain has one more
(R21-019 and R21-020 are inferred splits too, and B21-L02's target is inferred), so it ranks first.
No nesting leads from R21-016, R21-019, R21-020 or B21-L07 to the records after them, so the
three-hop chains have two tool joins each, the same length, and go by concept IDs: faith,
perception of progress, risk threshold.
"""

from __future__ import annotations

import time

import pytest

from causal_web.web import chains, search
from causal_web.web.chains import trace_chains

TWO_HOPS = ["shared-vision", "trust", "collaborative-behaviour"]
VIA_FAITH = ["shared-vision", "trust", "faith", "collaborative-behaviour"]
VIA_PROGRESS = ["shared-vision", "trust", "perception-of-progress", "collaborative-behaviour"]
VIA_RISK = ["shared-vision", "trust", "risk-threshold", "collaborative-behaviour"]


class Clock:
    """A stand-in for ``time.perf_counter``: it moves only when a test moves it."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(time, "perf_counter", fake)
    monkeypatch.setattr(search, "CHECK_EVERY", 1)
    return fake


def taking(monkeypatch: pytest.MonkeyPatch, clock: Clock, name: str, seconds: float) -> None:
    """Make each call of ``chains.<name>`` (``_chain`` or ``_joins``) move the clock on."""
    real = getattr(chains, name)

    def timed(*args: object) -> object:
        done = real(*args)
        clock.now += seconds
        return done

    monkeypatch.setattr(chains, name, timed)


def to_collaborative_behaviour(kb, **options) -> chains.ChainResult:
    return trace_chains(kb.web, "shared-vision", "collaborative-behaviour", max_hops=3, **options)


def test_the_untimed_ranking(kb):
    full = to_collaborative_behaviour(kb, time_budget=None)
    assert [c.concepts for c in full.chains] == [TWO_HOPS, VIA_FAITH, VIA_PROGRESS, VIA_RISK]
    assert not full.truncated and full.reason is None


def test_the_budget_running_out_while_chains_are_built_keeps_the_best_so_far(kb, clock, monkeypatch):
    full = to_collaborative_behaviour(kb, time_budget=None)
    taking(monkeypatch, clock, "_chain", 0.03)
    # 50 ms: the search and the joins take no time; the first chain leaves the clock at 30 ms,
    # within the budget, the second at 60 ms, past it, so the other two are not built.
    cut = to_collaborative_behaviour(kb, time_budget=0.05)
    assert [c.concepts for c in cut.chains] == [TWO_HOPS, VIA_FAITH]
    assert [c.to_dict() for c in cut.chains] == [c.to_dict() for c in full.chains[:2]]
    assert cut.truncated and cut.reason == "time" and cut.budget["reason"] == "time"
    assert cut.explored == full.explored  # the search itself was not cut
    assert cut.elapsed == pytest.approx(0.06)  # the time taken includes building the chains
    body = cut.to_dict()
    assert body["truncated"] is True and body["total"] == 2
    assert set(body["budget"]) == {"max_expansions", "time_budget_ms", "expansions", "reason"}


def test_a_budget_spent_by_the_first_chain_still_returns_it(kb, clock, monkeypatch):
    taking(monkeypatch, clock, "_chain", 1.0)
    cut = to_collaborative_behaviour(kb, time_budget=0.05)
    assert [c.concepts for c in cut.chains] == [TWO_HOPS]
    assert cut.truncated and cut.reason == "time"
    assert cut.elapsed == pytest.approx(1.0)


def test_joins_are_charged_and_a_truncated_answer_is_never_empty(kb, clock, monkeypatch):
    # shared vision -> trust -> task achievement is the only chain within two hops, found at the
    # third expansion (tests/test_chains.py); its joins spend the budget, so the search stops
    # there, and the chain is still built.
    taking(monkeypatch, clock, "_joins", 1.0)
    result = trace_chains(kb.web, "shared-vision", "task-achievement", max_hops=2)
    assert [c.concepts for c in result.chains] == [["shared-vision", "trust", "task-achievement"]]
    assert result.truncated and result.reason == "time" and result.explored == 3


def test_joins_spending_the_budget_stop_the_gathering(kb, clock, monkeypatch):
    full = to_collaborative_behaviour(kb, time_budget=None)
    # Each path's joins take 30 ms: the first path found leaves the clock at 30 ms, the search's
    # share of the 50 ms budget (SEARCH_SHARE 0.6), so the search stops with one of the four
    # paths; building it takes no time here, so it is built.
    taking(monkeypatch, clock, "_joins", 0.03)
    cut = to_collaborative_behaviour(kb, time_budget=0.05)
    assert len(cut.chains) == 1 and cut.chains[0].to_dict() in [c.to_dict() for c in full.chains]
    assert cut.truncated and cut.reason == "time"
    assert cut.explored < full.explored
    assert cut.elapsed == pytest.approx(0.03)


def test_the_search_leaves_time_for_building_chains(kb, clock, monkeypatch):
    full = to_collaborative_behaviour(kb, time_budget=None)
    # Each path's joins take 20 ms and each chain 5 ms. The search stops once its share of the
    # 50 ms budget is spent: after the second path (40 ms, past 30 ms). Both paths are then built
    # (45 and 50 ms), the second reaching the whole budget.
    taking(monkeypatch, clock, "_joins", 0.02)
    taking(monkeypatch, clock, "_chain", 0.005)
    cut = to_collaborative_behaviour(kb, time_budget=0.05)
    assert len(cut.chains) == 2 and cut.truncated and cut.reason == "time"
    assert all(c.to_dict() in [f.to_dict() for f in full.chains] for c in cut.chains)
    assert cut.elapsed == pytest.approx(0.05)


def test_without_a_time_budget_nothing_is_cut(kb, clock, monkeypatch):
    expected = to_collaborative_behaviour(kb, time_budget=None).to_dict()
    taking(monkeypatch, clock, "_joins", 1.0)
    taking(monkeypatch, clock, "_chain", 1.0)
    slow = to_collaborative_behaviour(kb, time_budget=None)
    assert slow.to_dict() == expected and slow.reason is None and not slow.truncated
    assert slow.elapsed == pytest.approx(4.0 + 4.0)  # four paths joined, four chains built
