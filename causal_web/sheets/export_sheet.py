"""``causal-web export --format sheet|xlsx``: a data folder's CMOCs back in the extraction layout.

One row per CMOC in the columns of :data:`causal_web.sheets.template.COLUMNS`: each slot's parts
one per line, with their concepts (``null`` when uncoded) and polarities beside them, and the
record's IOC types and flags, so ``causal-web import`` of the written sheet gives the same parts,
concepts, polarities, IOC types and flags. A reference kept as cited (not resolved to a source)
is written back as cited.
"""

from __future__ import annotations

from pathlib import Path

from causal_web.model.records import CMOC, SLOT_NAMES, Dataset
from causal_web.sheets.flags import RECORD_FLAGS
from causal_web.sheets.template import write_rows

__all__ = ["SHEET_FORMATS", "cmoc_row", "export_sheet", "sheet_export", "sheet_rows_of"]

_UNRESOLVED = "Reference as cited, not resolved: "


def cmoc_row(cmoc: CMOC) -> dict[str, str]:
    """The sheet row of one CMOC."""
    row: dict[str, str] = {
        "id": cmoc.id,
        "title": cmoc.title,
        "section": cmoc.citation.section,
        "phase": cmoc.phase,
        "status": cmoc.status or "",
        "statement": cmoc.statement,
        "table": cmoc.citation.table,
        "row": cmoc.citation.row,
        "ioc_types": "; ".join(cmoc.ioc_types),
        "flags": ", ".join(name for name in RECORD_FLAGS if getattr(cmoc, name)),
        "notes": cmoc.notes,
    }
    for slot in SLOT_NAMES:
        parts = cmoc.slots(slot)
        if not parts:
            continue
        row[slot] = "\n".join(p.label for p in parts)
        row[f"{slot}_concept"] = "; ".join(p.concept or "null" for p in parts)
        row[f"{slot}_polarity"] = "; ".join(p.polarity.value for p in parts)
    references = []
    for item in cmoc.evidence:
        if item.notes.startswith(_UNRESOLVED):
            references.append(item.notes[len(_UNRESOLVED) :])
        else:
            references.append(item.source)
    row["sources"] = "\n".join(dict.fromkeys(references))
    quotes = [item.quote for item in cmoc.evidence if item.quote]
    if quotes:
        row["quote"] = quotes[0]
    return row


def sheet_rows_of(dataset: Dataset) -> list[dict[str, str]]:
    """The rows of every CMOC of ``dataset``, in ID order."""
    return [cmoc_row(cmoc) for _id, cmoc in sorted(dataset.cmocs.items())]


def export_sheet(dataset: Dataset, path: Path) -> Path:
    """Write ``dataset``'s CMOCs to ``path`` (.xlsx or .csv) in the extraction layout."""
    return write_rows(path, sheet_rows_of(dataset), explain=False)


SHEET_FORMATS = ("sheet", "xlsx")
"""The export formats written here: ``sheet`` (CSV text) and ``xlsx`` (a workbook)."""


def sheet_export(dataset: Dataset, fmt: str) -> str | bytes:
    """The CMOCs of ``dataset`` as CSV text (``sheet``) or workbook bytes (``xlsx``)."""
    from causal_web.sheets.template import csv_text, workbook_bytes

    rows = sheet_rows_of(dataset)
    return csv_text(rows) if fmt == "sheet" else workbook_bytes(rows, explain=False)
