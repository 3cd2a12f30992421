"""Import a review team's extraction sheet, or a published CMOC table, as a causal-web data folder.

The thin orchestrator of :mod:`causal_web.sheets`: :mod:`~causal_web.sheets.tables` finds each
sheet's header (by the headers realist reviews use), skips title rows, fills merged cells and
reads group headings; :mod:`~causal_web.sheets.rows` maps the columns (``--map`` overrides) and
reads each cell's parts and inline tags with :mod:`~causal_web.sheets.cells`;
:mod:`~causal_web.sheets.coder` codes a part only when it is a preferred or alternative label of
the vocabulary (or the folder's coding file decides it); everything else stays uncoded
(``concept: null``). Unmapped columns are kept as the record's notes. Free-text citations are kept
on the evidence items as references as cited, resolved only against a ``--sources`` table.

A cell cut off in the team's copy (ending in "[TRUNCATED]", "[...]" or "…"), or an empty slot the
table has a column for, marks the record ``incomplete: true`` with a warning. Every problem
names the sheet, the row and the column. The folder is written to a staging folder, validated
there (SHACL included), and only then swapped in atomically: a failed or killed import leaves
the old folder or the new one, never neither.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from causal_web.atomic import recover_folder, replace_folder
from causal_web.errors import CausalWebError, DataValidationError, close_matches
from causal_web.model.canonical import dump_yaml
from causal_web.model.canonical_emit import BlockEmitter
from causal_web.model.history import history_to_dicts, import_event
from causal_web.model.normalise import slugify
from causal_web.model.records import SLOT_NAMES, STATUSES, Concept
from causal_web.model.references import is_fragment
from causal_web.model.serialise import concept_to_dict
from causal_web.model.validation import Problem, ValidationReport
from causal_web.sheets.cells import split_parts
from causal_web.sheets.coder import Coder, apply_decisions, slot_parts
from causal_web.sheets.flags import RECORD_FLAGS, IocTypes, check_flag_names, read_flags
from causal_web.sheets.rows import SheetRow, map_columns, sheet_rows
from causal_web.sheets.sources import SourceTable
from causal_web.sheets.tables import SheetError, read_tables

__all__ = ["ImportResult", "import_sheet", "rows_to_folder_files"]

# Each source of a row supports the configuration as the review's authors state it.
_EVIDENCE_DEFAULTS = {"judgement": "confirms", "evidence_type": "review-author-statement"}
_SOURCE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")
_REQUIRED = ("context", "mechanism", "outcome")


@dataclass(slots=True)
class ImportResult:
    """What an import wrote."""

    folder: Path
    cmocs: int
    concepts: int
    new_concepts: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    """Labels left uncoded, cut-off cells, unused columns: each names sheet, row and column."""
    sheets: list[str] = field(default_factory=list)
    """The sheets read."""
    unmapped: dict[str, list[str]] = field(default_factory=dict)
    """Per sheet, the headers kept as notes."""


def _evidence(
    row: SheetRow, default_source: str, table: str, sources: SourceTable | None
) -> tuple[list[dict], dict, list[str]]:
    """The row's evidence items, its citation, and the source IDs it needs."""
    locator = {"table": row.cells.get("table") or table, "row": row.cells.get("row") or str(row.number)}
    if row.section:
        locator["section"] = row.section
    items: list[dict] = []
    for piece in split_parts(row.cells.get("sources", "")):
        resolved = sources.resolve(piece) if sources else []
        if resolved:
            items += [{"source": s} for s in resolved]
        elif _SOURCE_ID.match(piece):
            items.append({"source": piece})
        else:
            items.append({"source": default_source, "notes": f"Reference as cited, not resolved: {piece}"})
    seen: set[str] = set()
    unique = []
    for item in items:
        key = item["source"] + item.get("notes", "")
        if key not in seen:
            seen.add(key)
            unique.append(item)
    items = unique or [{"source": default_source}]
    items[0] = {**items[0], **locator}
    if row.cells.get("quote"):
        items[0]["quote"] = row.cells["quote"]
    items = [{**item, **_EVIDENCE_DEFAULTS} for item in items]
    citation = {"source": items[0]["source"], **locator}
    return items, citation, list(dict.fromkeys(i["source"] for i in items))


class _Hints:
    """Close vocabulary labels for an uncoded label, for the first few hundred distinct labels
    (a large sheet's warnings would otherwise cost more than its import)."""

    LIMIT = 300

    def __init__(self, labels: list[str]) -> None:
        self.labels = labels
        self.seen: dict[str, list[str]] = {}

    def __call__(self, label: str) -> list[str]:
        if label not in self.seen:
            self.seen[label] = close_matches(label, self.labels, n=3) if len(self.seen) < self.LIMIT else []
        return self.seen[label]


def rows_to_folder_files(
    rows: list[SheetRow],
    file_name: str,
    report: ValidationReport,
    default_phase: str = "imported",
    default_source: str = "imported-source",
    vocabulary: Iterable[Concept] = (),
    mint: bool | None = None,
    sources: SourceTable | None = None,
    coding: Mapping[str, Any] | None = None,
    ioc_types: Iterable[Concept] = (),
    flags: Iterable[str] = (),
) -> tuple[dict[str, str], list[str]]:
    """The text of each file of a data folder made from ``rows``, and the new concept IDs.

    ``mint``: make a concept from every short label that the vocabulary does not have (default:
    only when no vocabulary is given); otherwise such labels stay uncoded, with a warning.
    Problems and warnings go to ``report``, named by ``file_name`` (a CSV) or the sheet.
    ``ioc_types``: the vocabulary's IOC types, that IOC type cells are coded against. ``flags``:
    record flags set on every row (``--flag``), besides those of the row's flags cell.
    """
    vocabulary = list(vocabulary)
    every_row = check_flag_names(flags)
    ioc_coder = IocTypes(list(ioc_types))
    coder = Coder(vocabulary, mint=not vocabulary if mint is None else mint)
    hints = _Hints(sorted({label for c in vocabulary for label in (c.pref_label, *c.alt_labels)}))
    phases: list[str] = []
    cited_sources: list[str] = []
    cmocs = []
    seen: dict[str, str] = {}
    for row in rows:
        where = file_name if row.sheet == Path(file_name).stem else f"{file_name} sheet {row.sheet!r}"
        record = row.id or f"row {row.number}"

        def problem(
            column: str,
            message: str,
            record: str = record,
            severity: str = "error",
            where: str = where,
            number: int = row.number,
        ) -> None:
            report.add("import.cell", where, record, column, f"{message} (row {number})", severity=severity)

        if not row.id:
            problem("id", "every row needs an ID in the ID column.")
            continue
        if record in seen:
            problem("id", f"duplicate ID, also on {seen[record]}.")
            continue
        seen[record] = f"row {row.number}"
        data: dict = {
            "id": record,
            "phase": slugify(row.cells.get("phase", "")) or default_phase,
            "kind": row.cells.get("kind", "") or "cmoc",
        }
        if row.title:
            data["title"] = row.title
        if row.statement:
            data["statement"] = row.statement
        status = row.cells.get("status", "").strip().lower()
        if status:
            if status not in STATUSES:
                problem("status", f"{status!r} is not a status; use one of {', '.join(STATUSES)}.")
            data["status"] = status
        relations: list[dict] = []
        incomplete: list[str] = []
        for slot in SLOT_NAMES:
            parts, uncoded, joined = slot_parts(row.parts.get(slot, []), row.cells, slot, coder, problem)
            relations += joined
            for label in uncoded:
                near = hints(label)
                hint = f" Close: {', '.join(repr(n) for n in near)}." if near else ""
                report.add(
                    "import.uncoded",
                    where,
                    record,
                    slot,
                    f"{label!r} is not a label of the vocabulary: left uncoded (concept: null); code it in "
                    f"the folder's coding.csv or a {slot}_concept column (row {row.number}).{hint}",
                    severity="warning",
                )
            if parts:
                data[slot] = parts
        if not any(data.get(slot) for slot in SLOT_NAMES) and not row.statement:
            problem("context/mechanism/outcome", "the row has no context, mechanism or outcome label.")
            continue
        if not any(data.get(slot) for slot in SLOT_NAMES):
            problem(
                "statement",
                "the statement has no if-then clauses or slot tags to read parts from: it is kept "
                "whole, with no parts; add them in the sheet or the folder",
                severity="warning",
            )
        for slot in row.empty_slots:
            if slot in _REQUIRED and "flags" in row.cells:
                # a table with a flags column (causal-web's own layout) says itself which records
                # are incomplete: a configuration may state no outcome and be whole
                problem(
                    slot, "the cell is empty (the flags column does not say incomplete).", severity="warning"
                )
            elif slot in _REQUIRED:
                incomplete.append(slot)
                problem(slot, "the cell is empty: the record is marked incomplete.", severity="warning")
        if relations:
            data["relations"] = relations
        texts = {**{s: "\n".join(p) for s, p in row.parts.items()}, **row.cells, "statement": row.statement}
        for column, cell in texts.items():
            if cell and any(is_fragment(v) for v in split_parts(cell)):
                incomplete.append(column)
                problem(
                    column,
                    f"the cell is cut off ({cell[-40:]!r}): the record is marked incomplete "
                    "and the fragment is left uncoded. Fill it in from the full text.",
                    severity="warning",
                )
        if incomplete:
            data["incomplete"] = True
        evidence, citation, needed = _evidence(row, default_source, row.sheet, sources)
        data["evidence"] = evidence
        iocs = [ioc_coder.code(s) for s in split_parts(row.cells.get("ioc_types", ""))]
        if "" in iocs:
            problem("ioc_types", "cannot make an IOC type ID from a value; use letters or digits.")
        if iocs:
            data["ioc_types"] = list(dict.fromkeys(i for i in iocs if i))
        marked, unknown = read_flags(row.cells.get("flags", ""))
        for value in unknown:
            problem("flags", f"{value!r} is not a record flag; use one of {', '.join(RECORD_FLAGS)}.")
        for name in RECORD_FLAGS:
            if name in every_row or name in marked:
                data[name] = True
        if data.get("ioc_types_inferred") and not iocs:
            problem("flags", "ioc_types_inferred is set, but the row has no IOC types.", severity="warning")
        data["citation"] = citation
        notes = [row.cells["notes"]] if row.cells.get("notes") else []
        notes += row.notes
        if notes:
            data["notes"] = "\n".join(notes)
        data["history"] = history_to_dicts([import_event(Path(file_name).name)])  # the audit trail starts
        if data["phase"] not in phases:
            phases.append(data["phase"])
        for source in needed:
            if source not in cited_sources:
                cited_sources.append(source)
        cmocs.append(data)
    if coding:
        apply_decisions(cmocs, coding, coder)
    return _folder_files(
        cmocs, file_name, phases, cited_sources, default_source, coder, sources, len(rows), ioc_coder
    ), (coder.new_concepts)


def _folder_files(
    cmocs: list[dict],
    sheet: str,
    phases: list[str],
    sources: list[str],
    default_source: str,
    coder: Coder,
    table: SourceTable | None,
    known: int,
    ioc_coder: IocTypes,
) -> dict[str, str]:
    concepts = coder.concepts()
    first = sources[0] if sources else default_source
    return {
        "phases.yaml": dump_yaml(
            {
                "phases": [
                    {
                        "id": p,
                        "label": p.replace("-", " ").capitalize(),
                        "order": i,
                        "type": "initial" if i == 1 else "refined",
                        "source": first,
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
                    (
                        table.record(s)
                        if table and table.record(s)
                        else {
                            "id": s,
                            "kind": "paper",
                            "notes": f"Named in {sheet}; add its bibliographic details.",
                        }
                    )
                    for s in sources
                ]
            }
        ),
        "concepts.yaml": dump_yaml(
            {
                "scheme": {"id": slugify(Path(sheet).stem) or "imported", "title": f"Concepts of {sheet}"},
                "concepts": [concept_to_dict(c) for c in concepts],
                "ioc_types": ioc_coder.records(c.id for c in concepts),
            }
        ),
        "coverage.yaml": dump_yaml(
            {
                "ledger": [
                    {
                        "id": "imported-rows",
                        "source": first,
                        "item": f"Rows of {sheet}",
                        "record_type": "cmoc",
                        "table": sheet,
                        "known": known,
                        "gaps": [],
                    }
                ]
            }
        ),
        "cmocs.yaml": BlockEmitter().dump({"cmocs": cmocs}),  # dump_yaml's text, many times faster
    }


def read_rows(
    path: Path,
    sheet: str | None = None,
    maps: Iterable[str] = (),
    id_prefix: str | None = None,
    split_sentences: bool = False,
    report: ValidationReport | None = None,
) -> tuple[list[SheetRow], list[str], dict[str, list[str]]]:
    """The rows of every CMOC table of ``path``, the sheets read and their unmapped headers."""
    path = Path(path)
    tables = read_tables(path, sheet)
    if not tables:
        raise SheetError(
            path.name,
            "",
            "",
            "no sheet has a header naming a context, mechanism, outcome or "
            "statement column (and data rows under it); pick one with --sheet and name its "
            "columns with --map HEADER=SLOT",
        )
    prefix = id_prefix or slugify(path.stem) or "row"
    rows: list[SheetRow] = []
    unmapped: dict[str, list[str]] = {}
    for table in tables:
        mapping = map_columns(table, list(maps))
        table_prefix = prefix if len(tables) == 1 or id_prefix else f"{prefix}-{slugify(table.sheet)}"
        rows += sheet_rows(table, mapping, table_prefix, split_sentences)
        unmapped[table.sheet] = [table.headers[i] or f"column {i + 1}" for i in mapping.unmapped]
        if report is not None:
            for warning in table.warnings:
                report.add("import.formula", path.name, "", "", warning, severity="warning")
            for header in unmapped[table.sheet]:
                report.add(
                    "import.column",
                    path.name,
                    table.sheet,
                    header,
                    f"column {header!r} is not a column the importer reads: kept in each record's "
                    "notes (name it with --map HEADER=SLOT)",
                    severity="warning",
                )
    return rows, [t.sheet for t in tables], unmapped


def import_sheet(
    path: Path,
    output: Path,
    phase: str = "imported",
    source: str = "imported-source",
    vocabulary: Iterable[Concept] = (),
    force: bool = False,
    mint: bool | None = None,
    *,
    sheet: str | None = None,
    maps: Iterable[str] = (),
    id_prefix: str | None = None,
    split_sentences: bool = False,
    sources: Path | None = None,
    coding_file: Path | None = None,
    ioc_types: Iterable[Concept] = (),
    flags: Iterable[str] = (),
    progress: Callable[[list[SheetRow]], Iterable[SheetRow]] | None = None,
    shacl: bool | None = None,
) -> ImportResult:
    """Convert a sheet to a validated data folder at ``output``.

    The written folder is checked as ``causal-web validate`` checks it, SHACL included unless
    ``shacl`` is False, in a staging folder, and only then swapped in atomically
    (:func:`causal_web.atomic.replace_folder`): a failed or killed import leaves the old folder or
    the new one. A staging folder left by a killed run is cleaned up (or the old folder
    restored) first.
    ``ioc_types`` are the vocabulary's IOC types; ``flags`` (``--flag``) are record flags set on
    every row.
    Raises :class:`DataValidationError` with every problem found (or :class:`SheetError` for a
    sheet that cannot be read), before anything is written; the warnings come back in the result.
    """
    path, output = Path(path), Path(output)
    flags = check_flag_names(flags)
    recover_folder(output)
    if output.exists() and not force:
        raise CausalWebError(f"{output} already exists; choose a new folder or pass --force to replace it")
    report = ValidationReport()
    rows, sheets, unmapped = read_rows(path, sheet, maps, id_prefix, split_sentences, report)
    if not rows:
        report.add("import.empty", path.name, "", "", "the sheet has no data rows under its header.")
        raise DataValidationError(report)
    source_table = SourceTable.read(sources) if sources else None
    coding_path = coding_file or output / "coding.csv"
    coding = None
    if coding_path.is_file():
        from causal_web.coding.decisions import read_coding_file

        coding = read_coding_file(coding_path)
    if progress is not None:
        rows = list(progress(rows))
    files, new_concepts = rows_to_folder_files(
        rows,
        path.name,
        report,
        slugify(phase) or "imported",
        slugify(source) or "imported-source",
        vocabulary,
        mint,
        source_table,
        coding,
        ioc_types,
        flags,
    )
    if not report.ok:
        raise DataValidationError(report)
    if output.joinpath("coding.csv").is_file():
        files["coding.csv"] = output.joinpath("coding.csv").read_text(encoding="utf-8")
    counts: dict[str, int] = {}

    def check(staging: Path) -> None:
        # everything `causal-web validate` checks, SHACL included, before the folder is swapped in
        from causal_web.model.validate import validate_folder

        found, numbers = validate_folder(staging, shacl=shacl if shacl is not None else True)
        if not found.ok:
            raise DataValidationError(found)
        counts.update(numbers)

    replace_folder(output, files, check=check, replace=force)
    warnings = [p for p in report.problems if p.severity != "error"]
    return ImportResult(output, counts["cmocs"], counts["concepts"], new_concepts, warnings, sheets, unmapped)
