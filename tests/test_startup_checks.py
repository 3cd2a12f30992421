"""What fails at start rather than request by request: a malformed guidance file or an unknown
evidence scorer; and the guidance routes taking ``review=`` like the other lists."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run_cli as _cli
from fastapi.testclient import TestClient

from causal_web.api.app import create_app
from causal_web.api.settings import Settings
from causal_web.errors import CausalWebError
from causal_web.knowledge_base import load
from causal_web.resources import bundled_data_dir

ICAMO = Path(__file__).parent / "data" / "icamo"
STAGES = ["contemplating", "connecting", "planning", "implementation", "maintenance-or-dissolution"]


@pytest.fixture
def bad_guidance(tmp_path: Path) -> Path:
    """The bundled data with one stage mapping citing a record that does not exist."""
    folder = tmp_path / "data"
    shutil.copytree(bundled_data_dir(), folder)
    stages = folder / "guidance" / "stages.yaml"
    text = stages.read_text(encoding="utf-8")
    assert text.count("records: [R21-021, R21-022]") == 1
    stages.write_text(text.replace("records: [R21-021, R21-022]", "records: [R21-021, R21-999]"), "utf-8")
    return folder


def test_validate_names_the_guidance_file_record_and_field(bad_guidance: Path) -> None:
    result = _cli("validate", str(bad_guidance), "--no-shacl")
    assert result.returncode == 1
    # the second mapping of stages.yaml (mappings[1]), its records field, the unknown ID
    assert "guidance/stages.yaml [mappings[1]] records" in result.stderr
    assert "R21-999" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_refuses_a_malformed_guidance_file_before_listening(bad_guidance: Path) -> None:
    result = _cli("serve", "--data", str(bad_guidance), "--port", "8799")
    assert result.returncode == 2
    assert "guidance/stages.yaml" in result.stderr and "R21-999" in result.stderr
    assert "Traceback" not in result.stderr
    with pytest.raises(CausalWebError, match="R21-999"):
        create_app(load(bad_guidance))


def test_an_unknown_evidence_scorer_is_refused_at_start() -> None:
    with pytest.raises(CausalWebError, match=r"evidence_scorer.*'nope'.*bases"):
        create_app(load(), Settings(evidence_scorer="nope"))


def test_guidance_routes_take_review(tmp_path: Path) -> None:
    icamo = tmp_path / "icamo"
    shutil.copytree(ICAMO, icamo)
    kb = load([bundled_data_dir(), icamo])
    with TestClient(create_app(kb)) as client:
        ids = [r["id"] for r in client.get("/reviews").json()["items"]]
        assert ids == ["ioc", "tests"]
        # the IOC review has the five stages of its guidance/stages.yaml; the ICAMO test review has
        # no guidance folder, so no stages and an instrument with no items
        ioc = client.get("/stages", params={"review": "ioc"}).json()
        assert [s["id"] for s in ioc["stages"]] == STAGES
        assert client.get("/stages", params={"review": "tests"}).json()["stages"] == []
        assert client.get("/diagnostic", params={"review": "tests"}).json()["items"] == []
        assert client.get("/diagnostic", params={"review": "ioc"}).json()["items"]
        # an unknown review is refused as the other lists refuse it, naming the parameter
        unknown = client.get("/guidance", params={"review": "nope"})
        assert unknown.status_code == client.get("/cmocs", params={"review": "nope"}).status_code == 400
        assert "review" in unknown.json()["detail"]


def test_a_knowledge_base_without_a_folder_takes_the_bundled_guidance_only_if_it_fits() -> None:
    from causal_web.knowledge_base import KnowledgeBase
    from causal_web.model.loading import load_dataset

    # as a remote store's knowledge base is: records, no data folder
    bundled = KnowledgeBase(load_dataset(bundled_data_dir()), data_dir=None)
    with TestClient(create_app(bundled)) as client:
        assert [s["id"] for s in client.get("/stages").json()["stages"]] == STAGES
    # the ICAMO records are not the ones the bundled guidance cites: no stages, no diagnostic
    other = KnowledgeBase(load_dataset(ICAMO), data_dir=None)
    with TestClient(create_app(other)) as client:
        assert client.get("/stages").json()["stages"] == []
        assert client.get("/diagnostic").json()["items"] == []
