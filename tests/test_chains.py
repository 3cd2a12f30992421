"""Chain tracing on the bundled data."""

from __future__ import annotations

import pytest
from conftest import run_cli

from causal_web.errors import QueryError, UnknownIdError
from causal_web.web.chains import trace_chains


def test_shared_vision_to_task_achievement_goes_through_conflict_and_trust(kb):
    result = trace_chains(kb.web, "shared-vision", "task-achievement")
    assert result.chains, "expected at least one chain"
    chain = result.chains[0]
    assert chain.concepts == ["shared-vision", "trust", "task-achievement"]
    assert "conflict" in chain.passes_through and "trust" in chain.passes_through
    first, second = chain.hops
    assert first.records == ["R21-016"] and first.through == ["conflict"]
    assert set(second.records) == {"R21-001", "R21-002"}
    assert first.sources == second.sources == ["aunger-2021-review"]
    assert first.bases == second.bases == ["ioc-synthesis"]
    assert not first.stitched and not second.stitched
    # shared vision (present) -> trust (enhanced): +; high/low trust -> greater/lesser task
    # achievement: + from both R21-001 and R21-002
    assert first.valence == "+" and first.valence_counts == {"+": 1, "-": 0, "unspecified": 0}
    assert second.valence_counts == {"+": 2, "-": 0, "unspecified": 0}
    assert chain.valence == "+"
    assert chain.weakest_bases == 1
    # the join at trust rests on the curator's label-level nesting of R21-016 into R21-001/002
    assert second.nesting == "curator"


def test_decreasing_hop_makes_the_chain_negative(kb):
    # slow pace of development -> conflict -> reduced trust (R21-014), then trust -> task achievement
    result = trace_chains(kb.web, "slow-pace-of-development", "task-achievement")
    chain = result.chains[0]
    assert chain.concepts == ["slow-pace-of-development", "trust", "task-achievement"]
    assert chain.hops[0].records == ["R21-014"]
    assert chain.hops[0].valence == "-"
    assert chain.hops[1].valence == "+"
    assert chain.valence == "-"


def test_unspecified_hop_makes_the_chain_unspecified(kb):
    result = trace_chains(kb.web, "shared-vision", "collaborative-behaviour", max_hops=4)
    assert result.chains
    for chain in result.chains:
        valences = {h.valence for h in chain.hops}
        if "mixed" in valences:
            assert chain.valence == "mixed"
        elif "unspecified" in valences:
            assert chain.valence == "unspecified"


def test_via_trust_restricts_the_results(kb):
    everything = trace_chains(
        kb.web, "constructive-conflict-resolution", "collaborative-behaviour", max_hops=5
    )
    via = trace_chains(
        kb.web, "constructive-conflict-resolution", "collaborative-behaviour", max_hops=5, via="trust"
    )
    assert via.chains
    assert len(via.chains) <= len(everything.chains)
    assert all("trust" in c.passes_through for c in via.chains)
    without_trust = [
        c
        for c in everything.chains
        if "trust" not in c.passes_through and "initial-trust" not in c.passes_through
    ]
    via_keys = {tuple(c.concepts) for c in via.chains}
    assert all(tuple(c.concepts) not in via_keys for c in without_trust)


def test_via_a_group(kb):
    result = trace_chains(
        kb.web, "shared-vision", "collaborative-behaviour", via="core mechanisms", max_hops=4
    )
    core = {"trust", "faith", "confidence", "initial-trust"}
    assert result.chains and all(core & set(c.passes_through) for c in result.chains)


def test_stitched_hops_are_flagged_on_evidence_bases(kb):
    # authenticity -> trust stands on the interviews (S22-003); trust -> the success of IOC
    # initiatives only on background framing (S22-017), which is a base of its own
    result = trace_chains(kb.web, "authenticity", "ioc-success", include_background=True)
    assert result.chains
    first, second = result.chains[0].hops
    assert first.bases == ["ioc-interviews"]
    assert "ioc-interviews" not in second.bases and second.stitched
    for chain in trace_chains(kb.web, "shared-vision", "collaborative-behaviour", max_hops=3).chains:
        for before, hop in zip(chain.hops, chain.hops[1:], strict=False):
            assert hop.stitched == (not set(before.bases) & set(hop.bases))


def test_background_claims_stay_out_of_chains_by_default(kb):
    assert trace_chains(kb.web, "authenticity", "ioc-success").chains == []


def test_results_are_ordered_by_evidence_then_length(kb):
    result = trace_chains(kb.web, "constructive-conflict-resolution", "collaborative-behaviour", max_hops=5)
    keys = [c.rank_key() for c in result.chains]
    assert keys == sorted(keys)
    assert [k[0] for k in keys] == sorted(-c.weakest_bases for c in result.chains)


def test_phase_filter_and_min_sources(kb):
    result = trace_chains(kb.web, "shared-vision", "task-achievement", phases=["summary-2022"])
    assert result.chains == []
    result = trace_chains(kb.web, "shared-vision", "task-achievement", min_sources=2)
    assert result.chains == []


def test_caps_bound_the_work(kb):
    result = trace_chains(
        kb.web, "constructive-conflict-resolution", "collaborative-behaviour", max_hops=6, limit=1
    )
    assert len(result.chains) == 1 and result.truncated
    result = trace_chains(
        kb.web, "constructive-conflict-resolution", "collaborative-behaviour", max_hops=6, max_expansions=3
    )
    assert result.truncated and result.explored == 3
    assert result.budget["reason"] == "expansions" and result.budget["expansions"] == 3


# The search budget. Shared vision is the context of two records only: R21-016 (shared vision,
# through reduced conflict, to enhanced trust) and the background claim S22-017, which chains
# leave out by default; no concept is narrower than shared vision or task achievement. So with
# two hops the search takes shared vision off the stack (1), steps to trust (2), whose hop to
# task achievement (R21-001, R21-002) is the only one that ends within the second hop, and
# takes task achievement (3): one chain in three expansions.


def test_three_expansions_find_the_one_two_hop_chain(kb):
    result = trace_chains(kb.web, "shared-vision", "task-achievement", max_hops=2, max_expansions=3)
    assert (result.start, result.end) == (["shared-vision"], ["task-achievement"])
    assert [c.concepts for c in result.chains] == [["shared-vision", "trust", "task-achievement"]]
    assert not result.truncated
    assert result.budget["expansions"] == 3 and result.budget["reason"] is None
    assert result.budget["max_expansions"] == 3


def test_two_expansions_stop_before_the_chain_is_reached(kb):
    result = trace_chains(kb.web, "shared-vision", "task-achievement", max_hops=2, max_expansions=2)
    assert result.chains == [] and result.truncated
    assert result.budget["expansions"] == 2 and result.budget["reason"] == "expansions"
    body = result.to_dict()
    assert body["truncated"] is True and body["budget"]["reason"] == "expansions"
    assert set(body["budget"]) == {"max_expansions", "time_budget_ms", "expansions", "reason"}


def test_a_zero_time_budget_truncates_before_any_expansion(kb):
    result = trace_chains(kb.web, "shared-vision", "task-achievement", time_budget=0)
    assert result.chains == [] and result.truncated
    assert result.budget["reason"] == "time"
    assert result.budget["expansions"] == 0 and result.budget["time_budget_ms"] == 0


@pytest.mark.parametrize(
    ("start", "end", "options"),
    [
        ("shared-vision", "task-achievement", {}),
        ("constructive-conflict-resolution", "collaborative-behaviour", {"max_hops": 5}),
        ("shared-vision", "collaborative-behaviour", {"via": "core mechanisms"}),
        ("authenticity", "ioc-success", {"include_background": True}),
        ("trust", "faith", {"phases": ["review-2021"], "min_sources": 0}),
    ],
)
def test_a_large_budget_changes_nothing_on_the_bundled_data(kb, start, end, options):
    default = trace_chains(kb.web, start, end, **options)
    large = trace_chains(kb.web, start, end, max_expansions=10_000_000, time_budget=None, **options)
    assert default.budget["reason"] is None and large.budget["reason"] is None
    assert large.budget["time_budget_ms"] is None
    without_budget = [{k: v for k, v in r.to_dict().items() if k != "budget"} for r in (default, large)]
    assert without_budget[0] == without_budget[1]


def test_the_first_chain_needs_the_same_expansions_as_the_default_budget_uses(kb):
    # shared vision -> trust -> task achievement within two hops: three expansions, whatever the budget
    assert trace_chains(kb.web, "shared-vision", "task-achievement", max_hops=2).budget["expansions"] == 3


def test_bad_budgets_are_named(kb):
    with pytest.raises(QueryError, match="max_expansions"):
        trace_chains(kb.web, "trust", "faith", max_expansions=0)
    with pytest.raises(QueryError, match="time_budget"):
        trace_chains(kb.web, "trust", "faith", time_budget=-1)


def test_the_cli_says_when_the_budget_ran_out():
    done = run_cli(
        "chains",
        "--from",
        "shared-vision",
        "--to",
        "task-achievement",
        "--max-hops",
        "2",
        "--max-expansions",
        "2",
    )
    assert done.returncode == 0, done.stderr
    assert "No chain from shared-vision to task-achievement within 2 hops." in done.stdout
    assert "Search truncated: the budget of 2 node expansions ran out (raise --max-expansions)" in done.stdout
    done = run_cli("chains", "--from", "shared-vision", "--to", "task-achievement", "--time-budget-ms", "0")
    assert "Search truncated: the time budget of 0 ms ran out after 0 node expansions" in done.stdout
    done = run_cli("chains", "--from", "shared-vision", "--to", "task-achievement", "--max-hops", "2")
    assert "1 chain(s)\n" in done.stdout and "truncated" not in done.stdout.lower()
    done = run_cli("chains", "--from", "shared-vision", "--to", "task-achievement", "--max-expansions", "0")
    assert done.returncode != 0 and "--max-expansions" in done.stderr and "Traceback" not in done.stderr


def test_bad_parameters_are_named(kb):
    with pytest.raises(UnknownIdError, match="Did you mean: trust"):
        trace_chains(kb.web, "trsut", "faith")
    with pytest.raises(QueryError, match="max_hops"):
        trace_chains(kb.web, "trust", "faith", max_hops=99)
    with pytest.raises(UnknownIdError, match="phase"):
        trace_chains(kb.web, "trust", "faith", phases=["review-2099"])
