"""Every malformed input gets a clear message naming file, record and field, a non-zero exit
and no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

BAD = FIXTURES / "bad"

# case -> (file, record, field, words the message must contain)
EXPECTED = {
    "missing-field": ("extra.yaml", "B-001", "evidence", "at least one evidence item"),
    "unknown-concept": ("extra.yaml", "B-002", "mechanism[0].concept", "Did you mean 'trust'"),
    "duplicate-id": ("extra.yaml", "T-002", "id", "first defined in cmocs.yaml"),
    "bad-polarity": ("extra.yaml", "B-004", "outcome[0].polarity", "'up' is not allowed"),
    "broken-syntax": ("extra.yaml", "", "", "line 4"),
    "wrong-encoding": ("extra.yaml", "", "", "UTF-8"),
    "empty-file": ("extra.yaml", "", "", "empty"),
    "unknown-phase": ("extra.yaml", "B-008", "phase", "unknown phase 'review-2099'"),
    "dangling-source": ("extra.yaml", "B-009", "evidence[0].source", "unknown source 'paper-c'"),
    "bad-status": ("extra.yaml", "B-010", "status", "'accepted' is not allowed"),
    "wrong-type": ("extra.yaml", "B-011", "mechanism[0].inferred", "true or false"),
    "unknown-field": ("extra.yaml", "B-012", "contxt", "Did you mean 'context'"),
    "no-slots": ("extra.yaml", "B-013", "context/mechanism/outcome", "at least one part"),
    "bad-id": ("extra.yaml", "B 014 (draft)", "id", "not a valid ID"),
    "top-level-list": ("extra.yaml", "", "", "top level must be a mapping"),
    "citation-without-row": ("extra.yaml", "B-016", "citation.row", "required"),
    "unknown-ioc-type": ("extra.yaml", "B-017", "ioc_types[0]", "unknown IOC type 'merger'"),
    "bad-link-valence": ("extra.yaml", "B-L18", "valence", "'minus' is not allowed"),
    "broader-cycle": ("concepts.yaml", "", "broader", "cycle"),
    "binary-junk": ("extra.yaml", "", "", "UTF-8"),
    "missing-label": ("extra.yaml", "B-021", "outcome[0].label", "required"),
    # the realist model: evidence items, part references, theory versions, fragments, nestings
    "unknown-evidence-source": ("extra.yaml", "B-L22", "evidence[1].source", "unknown source 'paper-z'"),
    "unknown-evidence-base": ("extra.yaml", "B-027", "evidence[0].base", "unknown evidence base"),
    "dangling-part-ref": ("extra.yaml", "B-023", "relations[0].from", "context[5] does not exist"),
    "later-predecessor": ("extra.yaml", "B-024", "predecessors[0].record", "must belong to an earlier phase"),
    "coded-fragment": ("extra.yaml", "B-025", "outcome[0].concept", "a fragment is never coded"),
    "unknown-nesting-target": ("extra.yaml", "B-N26", "to", "unknown CMOC 'T-999'"),
    "missing-phase-type": ("phases.yaml", "second", "type", "required; use one of: initial"),
}


def test_every_bad_case_has_an_expectation():
    cases = sorted(p.name for p in BAD.iterdir() if p.is_dir())
    assert len(cases) >= 15
    assert cases == sorted(EXPECTED)


def _folder_with(case: str, tmp_path: Path) -> Path:
    folder = tmp_path / case
    shutil.copytree(FIXTURES / "good", folder)
    for path in (BAD / case).iterdir():
        shutil.copy(path, folder / path.name)
    return folder


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_bad_input_is_reported_clearly(case: str, tmp_path: Path):
    folder = _folder_with(case, tmp_path)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = run_cli("validate", str(folder))
    file, record, field, words = EXPECTED[case]
    output = result.stderr + result.stdout
    assert result.returncode == 1, output
    assert "Traceback" not in output
    line = next(
        (ln for ln in output.splitlines() if ln.startswith("ERROR") and file in ln and words in ln), None
    )
    assert line is not None, f"no error line names {file!r} with {words!r}:\n{output}"
    if record:
        assert f"[{record}]" in line, line
    if field:
        assert field in line, line
    # each folder is valid but for this one problem, so it fails for its intended reason only
    errors = [ln for ln in output.splitlines() if ln.startswith("ERROR")]
    assert errors == [line], output
    # validation never writes anything
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_oversized_file_is_refused_without_reading_it(tmp_path: Path):
    folder = tmp_path / "big"
    shutil.copytree(FIXTURES / "good", folder)
    with open(folder / "huge.yaml", "wb") as out:
        out.truncate(65 * 1024 * 1024)  # sparse: 65 MiB without writing them
    result = run_cli("validate", str(folder))
    assert result.returncode == 1
    assert "huge.yaml" in result.stderr and "over the" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_folder_and_missing_catalogue(tmp_path: Path):
    result = run_cli("validate", str(tmp_path / "nowhere"))
    assert result.returncode == 1 and "data folder not found" in result.stderr
    folder = tmp_path / "partial"
    shutil.copytree(FIXTURES / "good", folder)
    (folder / "phases.yaml").unlink()
    result = run_cli("validate", str(folder))
    assert result.returncode == 1
    assert "phases.yaml is missing" in result.stderr
    # every other problem is still collected: the CMOCs now name unknown phases
    assert "unknown phase 'first'" in result.stderr


def test_all_problems_are_collected_not_just_the_first(tmp_path: Path):
    folder = _folder_with("unknown-concept", tmp_path)
    shutil.copy(BAD / "bad-polarity" / "extra.yaml", folder / "extra2.yaml")
    shutil.copy(BAD / "dangling-source" / "extra.yaml", folder / "extra3.yaml")
    shutil.copy(BAD / "dangling-part-ref" / "extra.yaml", folder / "extra4.yaml")
    result = run_cli("validate", "--json", str(folder))
    assert result.returncode == 1
    import json

    report = json.loads(result.stdout)
    rules = {p["rule"] for p in report["problems"]}
    assert {"reference.concept", "schema.enum", "reference.source", "reference.part"} <= rules
    assert report["errors"] == 4


def test_loading_a_bad_folder_from_commands_that_read_data(tmp_path: Path):
    folder = _folder_with("unknown-concept", tmp_path)
    for args in (["stats"], ["export", "--format", "ttl"], ["cmocs"], ["lint"]):
        result = run_cli(*args, "--data", str(folder))
        assert result.returncode == 1, args
        assert "extra.yaml [B-002] mechanism[0].concept" in result.stderr
        assert "Traceback" not in result.stderr
