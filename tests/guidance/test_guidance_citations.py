"""Every diagnostic item, action prompt, typology attribute and stage mapping cites at least one
record that exists, or is flagged as the curator's inference; the instrument's directions agree
with the web; a bad guidance file is refused naming its file, record and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import DATA, run_cli

import causal_web
from causal_web.guidance import (
    GuidanceDataError,
    action_guidance,
    guidance_of,
    list_collaboration_types,
    list_stages,
)
from causal_web.guidance.derive import direction_of
from causal_web.model.records import PartRef


def _exists(kb, record_id: str) -> bool:
    ds = kb.dataset
    return ds.record(record_id) is not None or record_id in ds.sources


def test_every_typology_attribute_cites_a_record_or_is_inferred(kb):
    body = list_collaboration_types(kb)
    assert body["typology"]["derived"] and "not the report's typology" in body["typology"]["label"]
    claims = 0
    for kind in body["items"]:
        for name, attribute in kind["attributes"].items():
            for claim in attribute:
                claims += 1
                where = f"{kind['id']}.{name}: {claim['value']}"
                assert claim["cites"] or claim["inferred"], where
                for cited in claim["cites"]:
                    assert _exists(kb, cited), f"{where} cites {cited}"
    assert claims > 50


def test_the_named_types_are_there():
    names = {t["id"] for t in list_collaboration_types(causal_web.load())["items"]}
    assert {
        "alliance", "network", "merger", "acquisition", "buddying", "hospital-group", "joint-commissioning",
        "accountable-care-organisation", "provider-collaborative", "place-based-partnership",
        "community-health-partnership", "contracting", "joint-working", "combined-trust", "vanguard",
    } <= names  # fmt: skip


def test_mandated_types_rest_on_r21_005_and_s22_001(kb):
    types = {t["id"]: t for t in list_collaboration_types(kb)["items"]}
    mandated = {i for i, t in types.items() if t["mandated"]}
    # R21-EP5 names buddying, forced acquisition and forced merger as mandated partnering.
    assert mandated == {"mandated", "merger", "acquisition", "buddying"}
    for type_id in mandated:
        assert {"R21-005", "S22-001"} <= set(types[type_id]["cmocs"]), type_id
    # The 'mandated' type's CMOCs come from the records' own ioc_types; R21-005's scope is the curator's.
    stated = {c["value"]: c for c in types["mandated"]["attributes"]["cmocs"]}
    assert stated["R21-005"]["computed"] and stated["R21-005"]["inferred"]
    assert not stated["S22-001"]["inferred"]
    # For buddying the application is the curator's reading through R21-EP5.
    assert all(c["inferred"] for c in types["buddying"]["attributes"]["cmocs"])


def test_every_prompt_cites_existing_records_and_says_it_is_derived(kb):
    body = action_guidance(kb)
    assert body["label"] == "derived from the evidence, not the study's action statements"
    prompts = [p for g in body["groups"] for p in g["prompts"]]
    assert len(prompts) == body["total"] > 30
    for prompt in prompts:
        assert prompt["cites"] and all(_exists(kb, r) for r in prompt["cites"]), prompt["id"]
        assert prompt["label"] == body["label"]
        assert prompt["cmoc"] in prompt["text"]


def test_the_shared_vision_prompt(kb):
    # R21-016: Shared vision (context) -> Reduced conflict (a decrease: "reduces") -> Enhanced trust.
    prompts = {p["id"]: p for g in action_guidance(kb)["groups"] for p in g["prompts"]}
    prompt = prompts["R21-016/context[0]"]
    assert (
        prompt["text"]
        == "Work towards shared vision; it reduces conflict and so supports trust (R21-016; 1 base)."
    )
    assert prompt["mechanism"] == "conflict"
    assert [c["nesting"] for c in prompt["chains"]] == ["R21-N03"]  # on to R21-001 through trust


def test_every_diagnostic_item_cites_existing_cmocs_and_its_direction_holds(kb):
    instrument = guidance_of(kb).instrument
    assert instrument.header()["derived"] and "not the study's survey" in instrument.label
    groups = {item.mechanism for item in instrument.items.values()}
    assert {"trust", "faith", "confidence", "conflict"} <= groups
    for item in instrument.items.values():
        assert item.cmocs and all(_exists(kb, c) for c in item.cmocs), item.id
        assert item.weight >= 1
        for cmoc_id, ref in item.reads:
            derived = direction_of(
                kb.dataset, kb.dataset.cmocs[cmoc_id], PartRef(ref.slot, ref.index), item.toward
            )
            if item.direction_inferred:
                assert derived == "unspecified", f"{item.id}: the web gives a sign; drop direction_inferred"
                assert item.notes, f"{item.id}: say why the curator reads it so"
            else:
                assert derived == item.direction, f"{item.id} reads {cmoc_id} {ref} as {derived}"


def test_stage_mappings_are_flagged_as_the_curators(kb):
    body = list_stages(kb)
    assert body["citation"]["source"] == "aunger-2023-lifecycle"
    assert [s["label"] for s in body["stages"]] == [
        "Contemplating", "Connecting", "Planning", "Implementation", "Maintenance or Dissolution",
    ]  # fmt: skip
    for stage in body["stages"]:
        for mapping in stage["mappings"]:
            assert mapping["inferred"] and mapping["notes"]
            assert all(_exists(kb, r) for r in mapping["records"])
    planning = action_guidance(kb, stage="planning")
    assert {p["cmoc"] for g in planning["groups"] for p in g["prompts"]} <= {
        "R21-007", "R21-012", "R21-013", "R21-016", "S22-007", "S22-009",
    }  # fmt: skip
    assert any("curator's inference" in note for note in planning["notes"])


def _bad_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "cmocs"
    shutil.copytree(DATA, folder)
    path = folder / "guidance" / "typology.yaml"
    text = path.read_text(encoding="utf-8")
    old = "cites: [R21-EP5], notes: R21-EP5 names buddying"
    assert old in text
    path.write_text(text.replace(old, old.replace("[R21-EP5]", "[R21-EP9]")), encoding="utf-8")
    return folder


def test_a_claim_citing_a_missing_record_is_refused(tmp_path):
    folder = _bad_copy(tmp_path)
    message = "guidance/typology.yaml, record buddying, mandate[0].cites: cites 'R21-EP9'"
    with pytest.raises(GuidanceDataError, match=message.replace("[", r"\[").replace("]", r"\]")):
        guidance_of(causal_web.load(folder))
    result = run_cli("typology", "--data", str(folder))
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_prompts_read_the_nestings_once_and_each_prompt_gets_its_cmocs(kb, monkeypatch):
    # Looking the nestings up per prompt made a 1M-CMOC index build spend hours here (CMOCs
    # times nestings); they are read in one pass. Each prompt still lists the nestings that lead
    # from its own CMOC, in data order.
    from causal_web.guidance.prompts import derive_prompts

    dataset = kb.dataset

    class CountingDict(dict):
        reads = 0

        def values(self):
            CountingDict.reads += 1
            return super().values()

    monkeypatch.setattr(dataset, "nestings", CountingDict(dataset.nestings))
    prompts = derive_prompts(dataset)
    assert CountingDict.reads == 1
    for prompt in prompts:
        expected = [n.id for n in dataset.nestings.values() if n.source == prompt.cmoc]
        assert [c["nesting"] for c in prompt.chains] == expected, prompt.id
    # R21-016 leads on through R21-N03 alone (see the shared-vision prompt above)
    assert [c["nesting"] for p in prompts if p.cmoc == "R21-016" for c in p.chains] == ["R21-N03"]
