"""D4: a cycle of phase `previous` links and a numeric `id` were accepted. Every reference
that can form a cycle (phase previous, source part_of, concept broader) is now checked, and IDs
must be text."""

from __future__ import annotations

from pathlib import Path

from reliability_helpers import good_folder, problems, replace_in, validate_json

from causal_web.model.cycles import records_on_cycles


def test_a_cycle_of_phases_is_an_error(tmp_path: Path):
    folder = good_folder(tmp_path)
    # first -> second already; make second -> first
    replace_in(folder / "phases.yaml", "    previous: null\n", "    previous: second\n")
    code, report, _ = validate_json(folder)
    assert code == 1
    found = problems(report, "reference.cycle")
    assert {(p["file"], p["record"], p["field"]) for p in found} == {
        ("phases.yaml", "first", "previous"),
        ("phases.yaml", "second", "previous"),
    }


def test_a_phase_that_is_its_own_previous_is_an_error(tmp_path: Path):
    folder = good_folder(tmp_path)
    replace_in(folder / "phases.yaml", "    previous: null\n", "    previous: first\n")
    code, report, _ = validate_json(folder)
    assert code == 1
    [problem] = problems(report, "reference.cycle")
    assert problem["record"] == "first"


def test_a_cycle_of_sources_part_of_is_an_error(tmp_path: Path):
    folder = good_folder(tmp_path)
    replace_in(folder / "sources.yaml", "    year: '2020'\n", "    year: '2020'\n    part_of: paper-b\n")
    replace_in(folder / "sources.yaml", "    year: '2021'\n", "    year: '2021'\n    part_of: paper-a\n")
    code, report, _ = validate_json(folder)
    assert code == 1
    found = problems(report, "reference.cycle")
    assert {(p["file"], p["record"], p["field"]) for p in found} == {
        ("sources.yaml", "paper-a", "part_of"),
        ("sources.yaml", "paper-b", "part_of"),
    }


def test_a_chain_of_part_of_without_a_cycle_is_fine(tmp_path: Path):
    folder = good_folder(tmp_path)
    replace_in(folder / "sources.yaml", "    year: '2021'\n", "    year: '2021'\n    part_of: paper-a\n")
    _code, report, _ = validate_json(folder, "--no-shacl")
    assert not problems(report, "reference.cycle")


def test_cycle_finder_marks_only_the_cycle():
    # d -> a -> b -> c -> b: b and c are on the cycle, a and d only lead into it
    assert records_on_cycles({"d": "a", "a": "b", "b": "c", "c": "b"}) == ["b", "c"]
    assert records_on_cycles({"a": "b", "b": "x"}) == []
    assert records_on_cycles({"a": "a"}) == ["a"]


def test_a_numeric_id_is_refused(tmp_path: Path):
    folder = good_folder(tmp_path)
    replace_in(folder / "cmocs.yaml", "  - id: T-001\n", "  - id: 12345\n")
    code, report, _ = validate_json(folder)
    assert code == 1
    [problem] = problems(report, "schema.id-type")
    assert (problem["file"], problem["record"], problem["field"]) == ("cmocs.yaml", "#1", "id")
    assert "not the int 12345" in problem["message"]


def test_a_numeric_reference_is_refused(tmp_path: Path):
    folder = good_folder(tmp_path)
    replace_in(folder / "cmocs.yaml", "      source: paper-a\n", "      source: 2020\n")
    code, report, _ = validate_json(folder)
    assert code == 1
    [problem] = problems(report, "schema.id-type")
    assert (problem["record"], problem["field"]) == ("T-001", "citation.source")


def test_a_quoted_numeric_id_is_fine(tmp_path: Path):
    folder = good_folder(tmp_path)
    replace_in(folder / "cmocs.yaml", "  - id: T-001\n", "  - id: '12345'\n")
    code, report, _ = validate_json(folder)
    assert code == 0, report
