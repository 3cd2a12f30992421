"""Import a review team's extraction spreadsheet (CSV or XLSX) as a causal-web data folder.

One row per CMOC. Columns (names are case-insensitive; spaces count as underscores):

* ``id`` (required) and at least one of ``context``, ``mechanism``, ``outcome``: the labels
  as published; several values in a cell are separated by ';' (a ';' inside brackets stays);
* optional ``phase``, ``sources`` (';'-separated IDs), ``table``, ``row``, ``section``,
  ``status`` (affirmed/refined/refuted/new), ``ioc_types``, ``kind``, ``notes``;
* optional overrides ``context_concept``, ``context_polarity`` (and the same for mechanism
  and outcome), one value per label, where the automatic reading is wrong. A single label
  with several concepts ("High partnership functioning and trust level" with
  ``partnership-functioning; trust``) becomes one slot per concept, as in the curated data.

Labels are read by :func:`causal_web.model.normalise.normalise_label`. Every problem names the
sheet, the row's ID (or its row number) and the column. The folder is written to a staging
folder beside the output, validated there as ``causal-web validate`` would (SHACL included), and
only then swapped in (:func:`causal_web.atomic.replace_folder`): a failed or killed import leaves
the old folder or the new one, never neither.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from causal_web.atomic import recover_folder, replace_folder
from causal_web.errors import CausalWebError, DataValidationError
from causal_web.model.canonical import dump_yaml
from causal_web.model.normalise import normalise_label, slugify, split_cell
from causal_web.model.records import POLARITIES, SLOT_NAMES, STATUSES, Concept
from causal_web.model.serialise import concept_to_dict
from causal_web.model.validate import validate_folder
from causal_web.model.validation import ValidationReport
from causal_web.sheets.reading import read_sheet

__all__ = ["ImportResult", "import_sheet", "read_sheet", "rows_to_folder_files"]

_KNOWN_COLUMNS = {
    "id",
    "phase",
    "kind",
    "status",
    "context",
    "mechanism",
    "outcome",
    "sources",
    "source",
    "table",
    "row",
    "section",
    "ioc_types",
    "notes",
    *(f"{slot}_{part}" for slot in SLOT_NAMES for part in ("concept", "polarity")),
}


@dataclass(slots=True)
class ImportResult:
    """What an import wrote."""

    folder: Path
    cmocs: int
    concepts: int
    new_concepts: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def rows_to_folder_files(
    rows: list[dict[str, str]],
    sheet: str,
    report: ValidationReport,
    default_phase: str = "imported",
    default_source: str = "imported-source",
    vocabulary: Iterable[Concept] = (),
) -> tuple[dict[str, str], list[str]]:
    """The text of each file of a data folder made from ``rows``, and the new concept IDs."""
    vocabulary = list(vocabulary)
    known = {c.id: c for c in vocabulary}
    used: dict[str, Concept] = {}
    new_concepts: list[str] = []
    phases: list[str] = []
    sources: list[str] = []
    cmocs = []
    seen: dict[str, int] = {}
    if rows:
        unknown = sorted(set(rows[0]) - _KNOWN_COLUMNS - {""})
        for name in unknown:
            report.add(
                "import.column",
                sheet,
                "",
                name,
                f"column {name!r} is not used; known columns: {', '.join(sorted(_KNOWN_COLUMNS))}.",
                severity="warning",
            )
    for number, row in enumerate(rows, start=2):
        record = row.get("id", "").strip() or f"row {number}"

        def problem(column: str, message: str, record: str = record) -> None:
            report.add("import.cell", sheet, record, column, message)

        if not row.get("id", "").strip():
            problem("id", "every row needs an ID in the 'id' column.")
            continue
        if record in seen:
            problem("id", f"duplicate ID, also on row {seen[record]}.")
            continue
        seen[record] = number
        data: dict = {
            "id": record,
            "phase": slugify(row.get("phase", "")) or default_phase,
            "kind": row.get("kind", "") or "cmoc",
        }
        status = row.get("status", "").strip().lower()
        if status:
            if status not in STATUSES:
                problem("status", f"{status!r} is not a status; use one of {', '.join(STATUSES)}.")
            data["status"] = status
        any_slot = False
        for slot in SLOT_NAMES:
            labels = split_cell(row.get(slot, ""))
            concepts = split_cell(row.get(f"{slot}_concept", ""))
            polarities = [p.lower() for p in split_cell(row.get(f"{slot}_polarity", ""))]
            if len(labels) == 1 and len(concepts) > 1:
                # one compound label naming several concepts: one slot per concept, same label
                labels = labels * len(concepts)
                polarities = polarities * len(concepts) if len(polarities) == 1 else polarities
            for column, values in ((f"{slot}_concept", concepts), (f"{slot}_polarity", polarities)):
                if values and len(values) != len(labels):
                    problem(
                        column,
                        f"{len(values)} value(s) for {len(labels)} label(s) in '{slot}': "
                        "give one per label, separated by ';'.",
                    )
            items = []
            for position, label in enumerate(labels):
                reading = normalise_label(label, vocabulary)
                concept = slugify(concepts[position]) if position < len(concepts) else reading.concept
                polarity = polarities[position] if position < len(polarities) else reading.polarity.value
                if polarity not in POLARITIES:
                    problem(
                        f"{slot}_polarity", f"{polarity!r} is not a polarity; use {', '.join(POLARITIES)}."
                    )
                    polarity = "unspecified"
                if not concept:
                    problem(slot, f"cannot make a concept ID from {label!r}; add a {slot}_concept value.")
                    continue
                items.append({"label": label, "concept": concept, "polarity": polarity})
                if concept not in used:
                    if concept in known:
                        used[concept] = known[concept]
                    else:
                        base = reading.label if reading.concept == concept else concept.replace("-", " ")
                        words = (
                            " ".join(base.split()[1:]) if reading.polarity.value != "unspecified" else base
                        )
                        pref = (words or concept.replace("-", " ")).strip()
                        used[concept] = Concept(concept, pref[:1].upper() + pref[1:], role=slot)
                        new_concepts.append(concept)
                if label != used[concept].pref_label and label not in used[concept].alt_labels:
                    used[concept].alt_labels.append(label)
            if items:
                data[slot] = items
                any_slot = True
        if not any_slot:
            problem("context/mechanism/outcome", "the row has no context, mechanism or outcome label.")
            continue
        row_sources = [slugify(s) for s in split_cell(row.get("sources", "") or row.get("source", ""))]
        data["sources"] = [s for s in row_sources if s] or [default_source]
        iocs = [slugify(s) for s in split_cell(row.get("ioc_types", ""))]
        if iocs:
            data["ioc_types"] = iocs
        data["citation"] = {
            "source": data["sources"][0],
            "table": row.get("table", "") or sheet,
            "row": row.get("row", "") or str(number),
        }
        if row.get("section"):
            data["citation"]["section"] = row["section"]
        if row.get("notes"):
            data["notes"] = row["notes"]
        for phase in [data["phase"]]:
            if phase not in phases:
                phases.append(phase)
        for source in data["sources"]:
            if source not in sources:
                sources.append(source)
        cmocs.append(data)
    # a vocabulary concept brings its broader concepts along, so its hierarchy stays whole
    todo = [c for c in used if c in known]
    while todo:
        for parent in known[todo.pop()].broader:
            if parent not in used and parent in known:
                used[parent] = known[parent]
                todo.append(parent)
    ioc_types = sorted({i for c in cmocs for i in c.get("ioc_types", [])})
    files = {
        "phases.yaml": dump_yaml(
            {
                "phases": [
                    {
                        "id": p,
                        "label": p.replace("-", " ").capitalize(),
                        "order": i,
                        "source": sources[0] if sources else default_source,
                        "previous": phases[i - 2] if i > 1 else None,
                        "description": f"Imported from {sheet}.",
                    }
                    for i, p in enumerate(phases, start=1)
                ]
            }
        ),
        "sources.yaml": dump_yaml(
            {
                "sources": [
                    {"id": s, "kind": "paper", "notes": f"Named in {sheet}; add its bibliographic details."}
                    for s in sources
                ]
            }
        ),
        "concepts.yaml": dump_yaml(
            {
                "scheme": {"id": slugify(Path(sheet).stem) or "imported", "title": f"Concepts of {sheet}"},
                "concepts": [concept_to_dict(used[c]) for c in sorted(used)],
                "ioc_types": [{"id": i, "label": i.replace("-", " ").capitalize()} for i in ioc_types],
            }
        ),
        "coverage.yaml": dump_yaml(
            {
                "ledger": [
                    {
                        "id": "imported-rows",
                        "source": sources[0] if sources else default_source,
                        "item": f"Rows of {sheet}",
                        "record_type": "cmoc",
                        "table": sheet,
                        "known": len(rows),
                        "gaps": [],
                    }
                ]
            }
        ),
        "cmocs.yaml": dump_yaml({"cmocs": cmocs}),
    }
    return files, new_concepts


def import_sheet(
    path: Path,
    output: Path,
    phase: str = "imported",
    source: str = "imported-source",
    vocabulary: Iterable[Concept] = (),
    force: bool = False,
) -> ImportResult:
    """Convert a spreadsheet to a validated data folder at ``output``.

    Raises :class:`DataValidationError` with every problem found, before anything is written.
    """
    path, output = Path(path), Path(output)
    recover_folder(output)
    if output.exists() and not force:
        raise CausalWebError(f"{output} already exists; choose a new folder or pass --force to replace it")
    report = ValidationReport()
    rows = read_sheet(path, report)
    if not rows:
        report.add("import.empty", path.name, "", "", "the sheet has no data rows under its header.")
        raise DataValidationError(report)
    files, new_concepts = rows_to_folder_files(
        rows,
        path.name,
        report,
        slugify(phase) or "imported",
        slugify(source) or "imported-source",
        vocabulary,
    )
    if not report.ok:
        raise DataValidationError(report)
    counts: dict[str, int] = {}

    def check(staging: Path) -> None:
        # everything `causal-web validate` checks, SHACL included, before the folder is swapped in
        check_report, found = validate_folder(staging)
        if not check_report.ok:
            raise DataValidationError(check_report)
        counts.update(found)

    replace_folder(output, files, check=check, replace=force)
    warnings = [str(p) for p in report.problems]
    return ImportResult(output, counts["cmocs"], counts["concepts"], new_concepts, warnings)
