"""Chain tracing on the bundled data."""

from __future__ import annotations

import pytest

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
    assert result.truncated and result.explored <= 4


def test_bad_parameters_are_named(kb):
    with pytest.raises(UnknownIdError, match="Did you mean: trust"):
        trace_chains(kb.web, "trsut", "faith")
    with pytest.raises(QueryError, match="max_hops"):
        trace_chains(kb.web, "trust", "faith", max_hops=99)
    with pytest.raises(UnknownIdError, match="phase"):
        trace_chains(kb.web, "trust", "faith", phases=["review-2099"])
