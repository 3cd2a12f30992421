"""D9d: SHACL on a 100k-record folder ran past 10 minutes and 9.7 GB. It now runs in batches of
records, each with the whole catalogue; the batched report must equal the one-batch report."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import DATA

from causal_web.model.loading import read_dataset
from causal_web.model.validation import ValidationReport
from causal_web.rdf.shacl import check_shacl

# Two CMOCs that the schema accepts and the shapes refuse (no mechanism or outcome slot), in
# different batches once the batches are small.
EXTRA = """cmocs:
  - id: SH-001
    phase: review-2021
    kind: cmoc
    context:
      - label: Shared vision
        concept: shared-vision
        polarity: unspecified
    evidence: [{source: aunger-2021-review, judgement: confirms, evidence_type: review-author-statement}]
    citation: {source: aunger-2021-review, table: Table 3, row: '901'}
  - id: SH-002
    phase: review-2021
    kind: cmoc
    context:
      - label: Shared vision
        concept: shared-vision
        polarity: unspecified
    evidence: [{source: aunger-2021-review, judgement: confirms, evidence_type: review-author-statement}]
    citation: {source: aunger-2021-review, table: Table 3, row: '902'}
"""


def _key(report: ValidationReport) -> list[tuple]:
    return sorted((p.severity, p.file, p.record, p.field, p.message) for p in report.problems)


def test_batched_shacl_reports_exactly_what_one_batch_reports(tmp_path: Path):
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    (folder / "zz-extra.yaml").write_text(EXTRA, encoding="utf-8")
    dataset, report = read_dataset(folder)
    assert report.ok, report.summary()
    records = len(dataset.cmocs) + len(dataset.links) + len(dataset.mechanisms)
    whole, batched = ValidationReport(), ValidationReport()
    assert check_shacl(dataset, whole, batch_records=records) is False
    assert check_shacl(dataset, batched, batch_records=7) is False
    assert _key(batched) == _key(whole)
    refused = {p.record for p in whole.errors}
    assert refused == {"SH-001", "SH-002"}


def test_validate_says_how_to_skip_shacl_on_a_large_folder(monkeypatch):
    import importlib

    from click.testing import CliRunner

    cli = importlib.import_module("causal_web.cli.main")  # the module, not the click group

    monkeypatch.setattr(cli, "LARGE_FOLDER_RECORDS", 10)  # the bundled data counts as large
    result = CliRunner().invoke(cli.main, ["validate", str(DATA)])
    assert result.exit_code == 0, result.output
    assert "--no-shacl skips it" in result.output
    monkeypatch.setattr(cli, "LARGE_FOLDER_RECORDS", 10**9)
    assert "--no-shacl" not in CliRunner().invoke(cli.main, ["validate", str(DATA)]).output
