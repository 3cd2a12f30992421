"""Chain tracing on the bundled data."""

from __future__ import annotations

import pytest

from causal_web.errors import QueryError, UnknownIdError
from causal_web.model.records import Sign
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
    assert not first.stitched and not second.stitched
    assert chain.sign is Sign.POSITIVE
    assert chain.weakest_sources == 1


def test_decreasing_hop_makes_the_chain_negative(kb):
    # slow pace of development -> conflict -> reduced trust (R21-014), then trust -> task achievement
    result = trace_chains(kb.web, "slow-pace-of-development", "task-achievement")
    chain = result.chains[0]
    assert chain.concepts == ["slow-pace-of-development", "trust", "task-achievement"]
    assert chain.hops[0].records == ["R21-014"]
    assert chain.hops[0].sign is Sign.NEGATIVE
    assert chain.hops[1].sign is Sign.POSITIVE
    assert chain.sign is Sign.NEGATIVE


def test_unspecified_hop_makes_the_chain_unspecified(kb):
    result = trace_chains(kb.web, "shared-vision", "collaborative-behaviour", max_hops=4)
    assert result.chains
    for chain in result.chains:
        if any(h.sign is Sign.UNSPECIFIED for h in chain.hops):
            assert chain.sign is Sign.UNSPECIFIED


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


def test_stitched_hops_are_flagged(kb):
    result = trace_chains(kb.web, "shared-vision", "collaborative-behaviour", max_hops=3)
    stitched = [h for c in result.chains for h in c.hops if h.stitched]
    assert stitched, "a chain crossing from the 2021 review to the 2022 summary must be flagged"
    for chain in result.chains:
        for before, hop in zip(chain.hops, chain.hops[1:], strict=False):
            assert hop.stitched == (not set(before.sources) & set(hop.sources))


def test_results_are_ordered_by_evidence_then_length(kb):
    result = trace_chains(kb.web, "constructive-conflict-resolution", "collaborative-behaviour", max_hops=5)
    keys = [(-c.weakest_sources, len(c.hops)) for c in result.chains]
    assert keys == sorted(keys)


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
    assert result.truncated and result.explored <= 4


def test_bad_parameters_are_named(kb):
    with pytest.raises(UnknownIdError, match="Did you mean: trust"):
        trace_chains(kb.web, "trsut", "faith")
    with pytest.raises(QueryError, match="max_hops"):
        trace_chains(kb.web, "trust", "faith", max_hops=99)
    with pytest.raises(UnknownIdError, match="phase"):
        trace_chains(kb.web, "trust", "faith", phases=["review-2099"])
