"""The response models spell every record and result exactly as the library's dicts do: each
record of the bundled data goes through its model and comes back key for key."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from causal_web.api import models
from causal_web.model import serialise
from causal_web.web.chains import trace_chains

RECORDS = [
    ("cmocs", serialise.cmoc_to_dict, models.CMOC),
    ("links", serialise.link_to_dict, models.Link),
    ("mechanisms", serialise.mechanism_to_dict, models.MechanismEntry),
    ("nestings", serialise.nesting_to_dict, models.Nesting),
    ("entry_points", serialise.entry_point_to_dict, models.EntryPoint),
    ("demi_regularities", serialise.demi_regularity_to_dict, models.DemiRegularity),
    ("theories", serialise.theory_to_dict, models.MiddleRangeTheory),
    ("concepts", serialise.concept_to_dict, models.Concept),
    ("sources", serialise.source_to_dict, models.Source),
    ("bases", serialise.base_to_dict, models.EvidenceBase),
    ("phases", serialise.phase_to_dict, models.Phase),
]


def _round_trip(model, data: dict) -> dict:
    return model.model_validate(data).model_dump(by_alias=True, exclude_unset=True)


@pytest.mark.parametrize(("table", "to_dict", "model"), RECORDS, ids=[r[0] for r in RECORDS])
def test_every_record_round_trips_through_its_model(kb, table, to_dict, model):
    for record in getattr(kb.dataset, table).values():
        data = to_dict(record)
        assert _round_trip(model, data) == data, f"{table} {record.id}"


def test_a_key_the_model_does_not_know_is_refused(kb):
    data = serialise.cmoc_to_dict(kb.dataset.cmocs["R21-016"])
    with pytest.raises(ValidationError, match="sign"):
        models.CMOC.model_validate({**data, "sign": "+"})
    with pytest.raises(ValidationError, match="concept"):
        # A part always says whether it is coded: concept is there, null or not.
        models.Part.model_validate({"label": "Trust", "polarity": "unspecified"})


@pytest.mark.parametrize(
    ("start", "end", "background"),
    [
        ("shared-vision", "collaborative-behaviour", False),
        ("conflict", "trust", False),
        ("inter-organisational-collaboration", "performance-improvement", True),
    ],
)
def test_chain_results_round_trip(kb, start, end, background):
    result = trace_chains(kb.web, start, end, include_background=background)
    data = {**result.to_dict(), "limit": 50}
    assert data["chains"]
    assert _round_trip(models.ChainResult, data) == data
