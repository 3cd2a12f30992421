"""The response models spell every record and result exactly as the library's dicts do: each
record of the bundled data goes through its model and comes back key for key."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

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


def _undescribed(value: Any, where: str = "") -> list[str]:
    """Keys a validated response holds that its models do not describe (the models pass them
    through rather than fail a request)."""
    if isinstance(value, BaseModel):
        found = [f"{where}.{key}" for key in value.model_extra or {}]
        for name in type(value).model_fields:
            found += _undescribed(getattr(value, name), f"{where}.{name}")
        return found
    if isinstance(value, list):
        return [key for i, item in enumerate(value) for key in _undescribed(item, f"{where}[{i}]")]
    return []


def _round_trip(model, data: dict) -> dict:
    """``data`` through ``model`` and back, after checking the model describes every key."""
    validated = model.model_validate(data)
    assert _undescribed(validated) == [], f"{model.__name__} does not describe these keys"
    return validated.model_dump(by_alias=True, exclude_unset=True)


@pytest.mark.parametrize(("table", "to_dict", "model"), RECORDS, ids=[r[0] for r in RECORDS])
def test_every_record_round_trips_through_its_model(kb, table, to_dict, model):
    for record in getattr(kb.dataset, table).values():
        data = to_dict(record)
        assert _round_trip(model, data) == data, f"{table} {record.id}"


def test_a_key_the_model_does_not_describe_is_found(kb):
    data = serialise.cmoc_to_dict(kb.dataset.cmocs["R21-016"])
    data["outcome"] = [{**data["outcome"][0], "sign": "+"}]
    validated = models.CMOC.model_validate({**data, "score": 1})
    assert sorted(_undescribed(validated)) == [".outcome[0].sign", ".score"]
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
