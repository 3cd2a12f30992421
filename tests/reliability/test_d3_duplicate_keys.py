"""D3: a repeated YAML key was accepted and the earlier value silently lost. Now it is an
error naming the file, the record and the key, at every depth, the top level included."""

from __future__ import annotations

from pathlib import Path

from reliability_helpers import good_folder, problems, replace_in, validate_json


def test_a_repeated_key_in_a_record_is_an_error(tmp_path: Path):
    folder = good_folder(tmp_path)
    # T-001 is the first CMOC of cmocs.yaml; its 'phase' line is line 3
    replace_in(folder / "cmocs.yaml", "    phase: first\n", "    phase: first\n    phase: second\n")
    code, report, _ = validate_json(folder)
    assert code == 1
    [problem] = problems(report, "yaml.duplicate-key")
    assert (problem["file"], problem["record"], problem["field"]) == ("cmocs.yaml", "T-001", "phase")
    assert "duplicate key 'phase'" in problem["message"]
    assert "line 4" in problem["message"]


def test_a_repeated_top_level_section_is_an_error(tmp_path: Path):
    folder = good_folder(tmp_path)
    # the audit's case: a second `cmocs: []` dropped every CMOC of the file
    with (folder / "cmocs.yaml").open("a", encoding="utf-8") as out:
        out.write("cmocs: []\n")
    code, report, _ = validate_json(folder)
    assert code == 1
    [problem] = problems(report, "yaml.duplicate-key")
    assert (problem["file"], problem["record"], problem["field"]) == ("cmocs.yaml", "", "cmocs")
    assert "top level" in problem["message"]


def test_a_repeated_key_deep_in_a_record_names_its_path(tmp_path: Path):
    folder = good_folder(tmp_path)
    replace_in(
        folder / "cmocs.yaml",
        "      - label: Shared vision\n",
        "      - label: Shared vision\n        label: Shared goals\n",
    )
    code, report, _ = validate_json(folder)
    assert code == 1
    [problem] = problems(report, "yaml.duplicate-key")
    assert (problem["record"], problem["field"]) == ("T-001", "context[0].label")


def test_a_repeated_key_in_the_catalogue_is_an_error(tmp_path: Path):
    folder = good_folder(tmp_path)
    replace_in(folder / "sources.yaml", "    year: '2020'\n", "    year: '2020'\n    year: '2019'\n")
    code, report, _ = validate_json(folder)
    assert code == 1
    [problem] = problems(report, "yaml.duplicate-key")
    assert (problem["file"], problem["record"], problem["field"]) == ("sources.yaml", "paper-a", "year")


def test_repeated_keys_with_aliases_are_an_error_too():
    # an alias sends the document through PyYAML's own constructor: it must refuse them as well
    from causal_web.model.loading import parse_yaml_text
    from causal_web.model.validation import ValidationReport

    report = ValidationReport()
    text = "cmocs:\n- id: A-1\n  notes: &n text\n  kind: cmoc\n  kind: background\n  other: *n\n"
    assert parse_yaml_text(text, "f.yaml", report) is None
    [problem] = report.problems
    assert (problem.rule, problem.record, problem.field) == ("yaml.duplicate-key", "A-1", "kind")
    report = ValidationReport()
    assert parse_yaml_text("a: &x {b: 1}\nc: *x\nc: 2\n", "f.yaml", report) is None
    assert (report.problems[0].record, report.problems[0].field) == ("", "c")


def test_a_merge_key_overriding_a_merged_value_is_not_a_duplicate():
    from causal_web.model.loading import parse_yaml_text
    from causal_web.model.validation import ValidationReport

    report = ValidationReport()
    data = parse_yaml_text("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n", "f.yaml", report)
    assert report.ok
    assert data["other"] == {"x": 1, "y": 3}
