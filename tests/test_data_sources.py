"""The bundled data against the curated source material, record by record.

Skips when ../shared/sources is not beside the checkout (as on a user's own clone).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import SHARED_SOURCES, run_cli

pytestmark = pytest.mark.skipif(
    not SHARED_SOURCES.is_dir(),
    reason=f"the curated sources are not beside this checkout ({SHARED_SOURCES}); "
    "they exist only in the project's workspace",
)


def _rows(name: str) -> list[dict[str, str]]:
    with open(SHARED_SOURCES / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _cell(value: str) -> list[str]:
    """A cell's values as the dataset keeps them: split on ' ; ', each trimmed."""
    return [part.strip() for part in value.split(" ; ")] if value.strip() else []


def _labels(slots) -> list[str]:
    seen: list[str] = []
    for slot in slots:
        if slot.label not in seen:
            seen.append(slot.label)
    return seen


def _check_cmoc(kb, row: dict[str, str], slots: dict[str, str]) -> None:
    cmoc = kb.dataset.cmocs.get(row["id"])
    assert cmoc is not None, f"{row['id']} is in the sources but not in data/cmocs: add it"
    for name, column in slots.items():
        assert _labels(cmoc.slots(name)) == _cell(row[column]), (
            f"{cmoc.file} [{cmoc.id}] {name}: published labels differ from the source cell {row[column]!r}"
        )
    assert cmoc.sources, f"{cmoc.id} has no source"
    assert cmoc.citation.table and cmoc.citation.row, f"{cmoc.id} lacks a table/row pointer"


def test_review_2021_table_3(kb):
    rows = _rows("review2021_cmocs.csv")
    assert len(rows) == 22
    for number, row in enumerate(rows, start=1):
        _check_cmoc(kb, row, {"context": "context", "mechanism": "mechanism", "outcome": "outcome"})
        cmoc = kb.dataset.cmocs[row["id"]]
        assert cmoc.phase == "review-2021"
        assert cmoc.citation.source == "aunger-2021-review"
        assert cmoc.citation.table == row["source_table"]
        assert cmoc.citation.row == str(number)
        assert row["section"] in cmoc.citation.section and row["subsection"] in cmoc.citation.section
    assert kb.dataset.cmocs["R21-022"].incomplete
    assert "[TRUNCATED]" in kb.dataset.cmocs["R21-022"].outcome[-1].label


def test_evaluation_2022_records(kb):
    rows = _rows("evaluation2022_cmocs.csv")
    for row in rows:
        _check_cmoc(kb, row, {"context": "context", "mechanism": "mechanism", "outcome": "outcome"})
        cmoc = kb.dataset.cmocs[row["id"]]
        assert cmoc.phase == "evaluation-2022"
        assert row["source_table"].startswith(cmoc.citation.table)
        assert cmoc.status == (None if row["status"] == "not_stated" else row["status"])


def test_summary_2022_claims(kb):
    rows = _rows("summary2022_claims.csv")
    assert len(rows) == 18
    for row in rows:
        _check_cmoc(kb, row, {"context": "context", "mechanism": "mechanism", "outcome": "outcome"})
        cmoc = kb.dataset.cmocs[row["id"]]
        assert cmoc.phase == "summary-2022"
        assert cmoc.kind == row["kind"]
        assert cmoc.citation.row == row["id"]
        assert row["section"] in cmoc.citation.table


def test_refined_2021_mechanisms(kb):
    rows = _rows("refined2021_mechanisms.csv")
    for number, row in enumerate(rows, start=1):
        entry = kb.dataset.mechanisms.get(row["id"])
        assert entry is not None, f"{row['id']} missing"
        assert entry.label == row["refined_mechanism"]
        assert entry.initial_label == ("" if row["initial_mechanism"] == "n/a" else row["initial_mechanism"])
        assert entry.mechanism_type == row["mechanism_type"]
        assert entry.most_frequent_outcome == row["most_frequent_outcome"]
        assert (entry.citation.table, entry.citation.row) == ("Table 2", str(number))


@pytest.mark.parametrize(
    ("file", "prefix", "phase"),
    [
        ("refined2021_causal_links.csv", "B21-L", "refined-2021"),
        ("evaluation2022_causal_links.csv", "E22-L", "evaluation-2022"),
    ],
)
def test_causal_links(kb, file: str, prefix: str, phase: str):
    rows = _rows(file)
    for number, row in enumerate(rows, start=1):
        link = kb.dataset.links.get(f"{prefix}{number:02d}")
        assert link is not None, f"{prefix}{number:02d} missing"
        assert (link.source.label, link.target.label, link.relation) == (
            row["from"],
            row["to"],
            row["relation"],
        )
        assert link.phase == phase
        assert link.citation.curated_file == file
    extra = [
        lid for lid in kb.dataset.links if lid.startswith(prefix) and int(lid[len(prefix) :]) > len(rows)
    ]
    assert not extra, f"links not in the sources: {extra}"


@pytest.mark.parametrize("file", ["review2021_studies.csv", "refined2021_studies.csv"])
def test_included_studies(kb, file: str):
    for row in _rows(file):
        source = kb.dataset.sources.get(row["id"])
        assert source is not None, f"{row['id']} missing from sources.yaml"
        assert source.kind == "study"
        assert source.authors == row["authors"]
        assert source.year == row["year"]
        assert source.title == row["title"]
        assert source.collaboration_type == row["collaboration_type"]


def test_header_only_files_stay_empty():
    for name in ("refined2021_cmocs.csv", "evaluation2022_action_statements.csv"):
        assert _rows(name) == [], f"{name} now has rows: transcribe them into data/cmocs"


def test_every_source_id_is_accounted_for(kb):
    """Every record ID the sources hold is in the data, and the data holds no other."""
    import re

    pattern = re.compile(r"\b(?:R21|E22|S22|B21)-[SM]?\d{2,3}\b")
    known = set()
    for path in Path(SHARED_SOURCES).glob("*.csv"):
        for row in _rows(path.name):
            if "id" in row:
                known.add(row["id"])
    data_ids = (
        set(kb.dataset.cmocs)
        | set(kb.dataset.mechanisms)
        | {s for s in kb.dataset.sources if pattern.fullmatch(s)}
    )
    assert known == data_ids


def test_stats_json_accounts_for_every_record():
    import json

    result = run_cli("stats", "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    totals = stats["totals"]
    n_cmoc_rows = sum(
        len(_rows(f))
        for f in (
            "review2021_cmocs.csv",
            "evaluation2022_cmocs.csv",
            "summary2022_claims.csv",
            "refined2021_cmocs.csv",
        )
    )
    assert totals["cmocs"] == n_cmoc_rows
    assert totals["mechanisms"] == len(_rows("refined2021_mechanisms.csv"))
    assert totals["links"] == len(_rows("refined2021_causal_links.csv")) + len(
        _rows("evaluation2022_causal_links.csv")
    )
    studies = len(_rows("review2021_studies.csv")) + len(_rows("refined2021_studies.csv"))
    assert totals["sources_by_kind"]["study"] == studies
    per_phase = {p["id"]: p["cmocs"] for p in stats["phases"]}
    assert per_phase == {"review-2021": 22, "refined-2021": 0, "evaluation-2022": 4, "summary-2022": 18}
    ledger = {(e["source"], e["item"].split(",")[0]): e for e in stats["coverage"]["entries"]}
    table3 = ledger["aunger-2021-review", "Table 3"]
    assert table3["transcribed"] == 22 and table3["known"] == "unknown"
    gaps = " ".join(g for e in stats["coverage"]["entries"] for g in e["gaps"])
    assert "R21-022" in gaps
    assert "action statement" in gaps.lower()
    assert "338" in gaps  # the refined-theory CMOCs, none transcribed
