"""Import a review team's extraction spreadsheet (CSV or XLSX) as a causal-web data folder.

One row per CMOC. Columns (names are case-insensitive; spaces count as underscores):

* ``id`` (required) and at least one slot: ``context``, ``mechanism``, ``outcome``, or
  ``intervention``, ``actor``, ``mechanism_resource``, ``mechanism_response``: the labels as
  published; several values in a cell are separated by ';' (a ';' inside brackets stays);
* optional ``phase``, ``sources`` (';'-separated IDs), ``table``, ``row``, ``section``,
  ``status`` (affirmed/refined/refuted/new), ``ioc_types``, ``kind``, ``notes``;
* optional overrides ``context_concept``, ``context_polarity`` (and the same for the other
  slots), one value per label, where the automatic reading is wrong (``null`` leaves a part
  uncoded). A single label with several concepts ("High partnership functioning and trust
  level" with ``partnership-functioning; trust``) becomes one part per concept, as in the
  curated data.

Each part keeps its label as published. It is coded only when the label, or the label without
its leading qualifier, is a preferred or alternative label of the vocabulary (see
:func:`causal_web.model.normalise.normalise_label`); any other label stays uncoded
(``concept: null``), with a warning naming close labels, rather than becoming a new concept.
Without a vocabulary (``--no-vocabulary``) concepts are made from the labels alone. A cell cut
off in the team's copy (ending in "[TRUNCATED]", "[...]" or "…") marks the record
``incomplete: true``, its fragment is never coded, and a warning says so. Each of a row's
sources becomes an evidence item; the first carries the table, row and section.

Every problem names the sheet, the row's ID (or its row number) and the column. The folder is
written to a staging folder beside the output, validated there as ``causal-web validate`` would
(SHACL included), and only then swapped in (:func:`causal_web.atomic.replace_folder`): a failed
or killed import leaves the old folder or the new one, never neither.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from causal_web.atomic import recover_folder, replace_folder
from causal_web.errors import CausalWebError, DataValidationError, close_matches
from causal_web.model.canonical import dump_yaml
from causal_web.model.history import history_to_dicts, import_event
from causal_web.model.normalise import NormalisedLabel, normalise_label, slugify, split_cell
from causal_web.model.records import POLARITIES, SLOT_NAMES, STATUSES, Concept
from causal_web.model.references import is_fragment
from causal_web.model.serialise import concept_to_dict
from causal_web.model.validate import validate_folder
from causal_web.model.validation import Problem, ValidationReport
from causal_web.sheets.reading import read_sheet

__all__ = ["ImportResult", "import_sheet", "read_sheet", "rows_to_folder_files"]

_KNOWN_COLUMNS = {
    "id",
    "phase",
    "kind",
    "status",
    *SLOT_NAMES,
    "sources",
    "source",
    "table",
    "row",
    "section",
    "ioc_types",
    "notes",
    *(f"{slot}_{part}" for slot in SLOT_NAMES for part in ("concept", "polarity")),
}
# A <slot>_concept value that says "leave this part uncoded".
_UNCODED = frozenset({"null", "none"})
# Each source of a row supports the configuration as the review's authors state it.
_EVIDENCE_DEFAULTS = {"judgement": "confirms", "evidence_type": "review-author-statement"}


@dataclass(slots=True)
class ImportResult:
    """What an import wrote."""

    folder: Path
    cmocs: int
    concepts: int
    new_concepts: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    """Labels left uncoded, cut-off cells, unused columns: each names sheet, row and column."""


def _role(slot: str) -> str:
    if slot.startswith("mechanism"):
        return "mechanism"
    return "outcome" if slot == "outcome" else "context"


@dataclass(slots=True)
class _Coder:
    """Codes labels against a vocabulary, collecting the concepts a folder needs.

    A label is coded when it, or the label without its leading qualifier ("Greater", "Reduced",
    ...), is a concept's preferred or alternative label (case and spacing aside). Any other
    label stays uncoded (``concept: null``) unless ``mint`` is set (no vocabulary was given),
    when a new concept is made from it. A concept the sheet names in a ``<slot>_concept``
    column is the team's own coding and is made if the vocabulary does not have it.
    """

    vocabulary: list[Concept]
    mint: bool
    used: dict[str, Concept] = field(default_factory=dict)
    new_concepts: list[str] = field(default_factory=list)
    known: dict[str, Concept] = field(init=False)

    def __post_init__(self) -> None:
        self.known = {c.id: c for c in self.vocabulary}

    def use(self, concept: str, label: str, reading: NormalisedLabel, slot: str) -> None:
        if concept not in self.used:
            if concept in self.known:
                found = self.known[concept]
                self.used[concept] = replace(found, alt_labels=list(found.alt_labels))
            else:
                base = reading.label if reading.concept == concept else concept.replace("-", " ")
                words = " ".join(base.split()[1:]) if reading.polarity.value != "unspecified" else base
                pref = (words or concept.replace("-", " ")).strip()
                self.used[concept] = Concept(concept, pref[:1].upper() + pref[1:], role=_role(slot))
                self.new_concepts.append(concept)
        chosen = self.used[concept]
        if label != chosen.pref_label and label not in chosen.alt_labels:
            chosen.alt_labels.append(label)

    def concepts(self) -> list[Concept]:
        """The concepts used, with the vocabulary's broader concepts brought along (so the
        hierarchy stays whole) and links to concepts left out dropped."""
        todo = [c for c in self.used if c in self.known]
        while todo:
            for parent in self.known[todo.pop()].broader:
                if parent not in self.used and parent in self.known:
                    found = self.known[parent]
                    self.used[parent] = replace(found, alt_labels=list(found.alt_labels))
                    todo.append(parent)
        return [
            replace(concept, related=[r for r in concept.related if r in self.used])
            for _id, concept in sorted(self.used.items())
        ]


def _fragment_cells(row: dict[str, str]) -> list[str]:
    """The columns whose cell is cut off in the copy the team worked from."""
    return [column for column, cell in row.items() if cell and any(is_fragment(v) for v in split_cell(cell))]


def _slot_parts(
    row: dict[str, str], slot: str, coder: _Coder, problem: Callable[[str, str], None]
) -> tuple[list[dict], list[str], list[dict]]:
    """The parts of one slot of a row, the labels left uncoded (fragments aside), and an ``and``
    relation when one compound label names several concepts."""
    labels = split_cell(row.get(slot, ""))
    concepts = split_cell(row.get(f"{slot}_concept", ""))
    polarities = [p.lower() for p in split_cell(row.get(f"{slot}_polarity", ""))]
    compound = len(labels) == 1 and len(concepts) > 1
    if compound:
        # one compound label naming several concepts: one part per concept, same label
        labels = labels * len(concepts)
        polarities = polarities * len(concepts) if len(polarities) == 1 else polarities
    for column, values in ((f"{slot}_concept", concepts), (f"{slot}_polarity", polarities)):
        if values and len(values) != len(labels):
            problem(
                column,
                f"{len(values)} value(s) for {len(labels)} label(s) in '{slot}': "
                "give one per label, separated by ';'.",
            )
    parts, uncoded = [], []
    for position, label in enumerate(labels):
        if is_fragment(label):  # cut off: kept as published, never coded
            parts.append({"label": label, "concept": None, "polarity": "unspecified"})
            continue
        reading = normalise_label(label, coder.vocabulary)
        polarity = polarities[position] if position < len(polarities) else reading.polarity.value
        if polarity not in POLARITIES:
            problem(f"{slot}_polarity", f"{polarity!r} is not a polarity; use {', '.join(POLARITIES)}.")
            polarity = "unspecified"
        if position < len(concepts):
            given = concepts[position].strip()
            concept = None if given.lower() in _UNCODED else slugify(given)
            if concept == "":
                problem(f"{slot}_concept", f"cannot make a concept ID from {given!r}.")
                continue
        elif reading.matched_vocabulary or coder.mint:
            concept = reading.concept
            if not concept:
                problem(slot, f"cannot make a concept ID from {label!r}; add a {slot}_concept value.")
                continue
        else:
            concept = None
            uncoded.append(label)
        parts.append({"label": label, "concept": concept, "polarity": polarity})
        if concept is not None:
            coder.use(concept, label, reading, slot)
    joined = []
    if compound and len(parts) > 1:
        joined.append({"relation": "and", "parts": [f"{slot}[{i}]" for i in range(len(parts))]})
    return parts, uncoded, joined


def rows_to_folder_files(
    rows: list[dict[str, str]],
    sheet: str,
    report: ValidationReport,
    default_phase: str = "imported",
    default_source: str = "imported-source",
    vocabulary: Iterable[Concept] = (),
    mint: bool | None = None,
) -> tuple[dict[str, str], list[str]]:
    """The text of each file of a data folder made from ``rows``, and the new concept IDs.

    ``mint``: make a concept from every label that the vocabulary does not have (default: only
    when no vocabulary is given); otherwise such labels stay uncoded, with a warning. Problems
    and warnings go to ``report``.
    """
    vocabulary = list(vocabulary)
    coder = _Coder(vocabulary, mint=not vocabulary if mint is None else mint)
    labels = sorted({label for c in vocabulary for label in (c.pref_label, *c.alt_labels)})
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

        def problem(column: str, message: str, record: str = record, severity: str = "error") -> None:
            report.add("import.cell", sheet, record, column, message, severity=severity)

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
        relations: list[dict] = []
        for slot in SLOT_NAMES:
            parts, uncoded, joined = _slot_parts(row, slot, coder, problem)
            relations += joined
            for label in uncoded:
                near = close_matches(label, labels, n=3)
                hint = f" Close: {', '.join(repr(n) for n in near)}." if near else ""
                report.add(
                    "import.uncoded",
                    sheet,
                    record,
                    slot,
                    f"{label!r} is not a label of the vocabulary: left uncoded (concept: null); "
                    f"code it in {slot}_concept or in the folder.{hint}",
                    severity="warning",
                )
            if parts:
                data[slot] = parts
                any_slot = True
        if not any_slot:
            problem("context/mechanism/outcome", "the row has no context, mechanism or outcome label.")
            continue
        if relations:
            data["relations"] = relations
        cut = _fragment_cells(row)
        if cut:
            data["incomplete"] = True
            for column in cut:
                problem(
                    column,
                    f"the cell is cut off ({row[column][-40:]!r}): the record is marked incomplete "
                    "and the fragment is left uncoded. Fill it in from the full text.",
                    severity="warning",
                )
        row_sources = [slugify(s) for s in split_cell(row.get("sources", "") or row.get("source", ""))]
        cited = list(dict.fromkeys(s for s in row_sources if s)) or [default_source]
        citation = {
            "source": cited[0],
            "table": row.get("table", "") or sheet,
            "row": row.get("row", "") or str(number),
        }
        if row.get("section"):
            citation["section"] = row["section"]
        # the first source is the one the row was transcribed from: its item carries the locator
        data["evidence"] = [
            {**(citation if position == 0 else {"source": source}), **_EVIDENCE_DEFAULTS}
            for position, source in enumerate(cited)
        ]
        iocs = [slugify(s) for s in split_cell(row.get("ioc_types", ""))]
        if iocs:
            data["ioc_types"] = iocs
        data["citation"] = citation
        if row.get("notes"):
            data["notes"] = row["notes"]
        data["history"] = history_to_dicts([import_event(Path(sheet).name)])  # the audit trail starts
        if data["phase"] not in phases:
            phases.append(data["phase"])
        for source in cited:
            if source not in sources:
                sources.append(source)
        cmocs.append(data)
    ioc_types = sorted({i for c in cmocs for i in c.get("ioc_types", [])})
    files = {
        "phases.yaml": dump_yaml(
            {
                "phases": [
                    {
                        "id": p,
                        "label": p.replace("-", " ").capitalize(),
                        "order": i,
                        "type": "initial" if i == 1 else "refined",
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
                "concepts": [concept_to_dict(c) for c in coder.concepts()],
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
    return files, coder.new_concepts


def import_sheet(
    path: Path,
    output: Path,
    phase: str = "imported",
    source: str = "imported-source",
    vocabulary: Iterable[Concept] = (),
    force: bool = False,
    mint: bool | None = None,
) -> ImportResult:
    """Convert a spreadsheet to a validated data folder at ``output``.

    Labels the ``vocabulary`` does not have stay uncoded unless ``mint`` (default: mint only
    when no vocabulary is given). Raises :class:`DataValidationError` with every problem
    found, before anything is written; the warnings come back in the result.
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
        mint,
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
    warnings = [p for p in report.problems if p.severity != "error"]
    return ImportResult(output, counts["cmocs"], counts["concepts"], new_concepts, warnings)
