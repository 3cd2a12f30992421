"""The synthetic web generator: seeded, loadable through the real loader, realistic in shape."""

from __future__ import annotations

import subprocess
import sys

import pytest

import causal_web
from causal_web.model.loading import read_dataset
from causal_web.model.records import Polarity
from causal_web.model.synthetic import generate_dataset, write_synthetic
from causal_web.web.chains import trace_chains


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return write_synthetic(tmp_path_factory.mktemp("synthetic"), 1000, seed=7, records_per_file=300)


def test_same_seed_same_web_and_files(tmp_path, folder):
    assert repr(generate_dataset(300, seed=3)) == repr(generate_dataset(300, seed=3))
    assert repr(generate_dataset(300, seed=3)) != repr(generate_dataset(300, seed=4))
    again = write_synthetic(tmp_path / "again", 1000, seed=7, records_per_file=300)
    names = sorted(p.name for p in folder.glob("*.yaml"))
    assert names == sorted(p.name for p in again.glob("*.yaml"))
    for name in names:
        assert (folder / name).read_bytes() == (again / name).read_bytes(), name


def test_folder_loads_through_the_loader_without_problems(folder):
    dataset, report = read_dataset(folder)
    assert report.problems == []
    assert len(dataset.cmocs) == 1000
    assert dataset.links and dataset.mechanisms and dataset.coverage
    assert len(dataset.phases) == 4
    # the files hold exactly what the generator made
    assert repr(dataset.concepts) == repr(generate_dataset(1000, seed=7).concepts)
    kb = causal_web.load(folder)
    assert len(kb.cmocs) == 1000


def test_folder_passes_cli_validate(folder):
    result = subprocess.run(
        [sys.executable, "-m", "causal_web", "validate", "--no-shacl", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_shape_is_realistic():
    dataset = generate_dataset(2000, seed=1)
    assert 380 <= len(dataset.concepts) <= 420  # about n/5
    assert 180 <= len(dataset.sources) <= 220  # about n/10
    assert {c.group for c in dataset.concepts.values()} >= {
        "core-mechanism",
        "supporting-mechanism",
        "performance-domain",
        "long-term-outcome",
    }
    assert any(c.broader for c in dataset.concepts.values())
    slots = [s for c in dataset.cmocs.values() for s in (*c.context, *c.mechanism, *c.outcome)]
    polarities = {p: sum(s.polarity is p for s in slots) / len(slots) for p in Polarity}
    assert all(share > 0.1 for share in polarities.values()), polarities
    assert sum(len(c.context) > 1 for c in dataset.cmocs.values()) > 100  # list cells
    assert sum(len(c.sources) > 1 for c in dataset.cmocs.values()) > 100
    assert len({c.phase for c in dataset.cmocs.values()}) == 4
    # concept use is skewed: the core mechanisms carry much of the evidence
    trust = sum("trust" in c.concepts() for c in dataset.cmocs.values())
    assert trust > len(dataset.cmocs) / 20


def test_chains_run_from_a_context_through_trust_to_an_outcome(folder):
    kb = causal_web.load(folder)
    web = kb.web
    contexts = [c.id for c in kb.dataset.concepts.values() if c.role == "context"]
    found = None
    for context in contexts[:40]:
        result = trace_chains(web, context, "organisational-efficiency", via="trust", max_hops=4, limit=5)
        if result.chains:
            found = result
            break
    assert found is not None, "no chain from any context through trust to organisational efficiency"
    chain = found.chains[0]
    assert set(chain.passes_through) & web.narrower("trust")
    assert all(hop.records for hop in chain.hops)


def test_rejects_nonsense_sizes(tmp_path):
    with pytest.raises(ValueError):
        generate_dataset(0)
    with pytest.raises(ValueError):
        write_synthetic(tmp_path, 10, records_per_file=0)
