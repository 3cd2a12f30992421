"""The evidence matrix of evidence and gap maps: CMOCs counted by two dimensions at once.

A dimension is a slot (``context``, ``mechanism``, ``outcome``, any of
:data:`~causal_web.model.records.SLOT_NAMES`: the concepts coded in exactly that slot),
``ioc_type`` (the IOC types a CMOC is stated for), or a concept group such as
``core-mechanism`` (the group's concepts and their narrower ones, in any slot). Each cell holds
the full configurations (kind ``cmoc``) that have the row value and the column value, the
number of independent evidence bases behind them and their evidence status.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from causal_web.errors import QueryError
from causal_web.evidence.contradictions import find_contradictions
from causal_web.evidence.scorer import load_rules, score
from causal_web.evidence.summary import summarise_items
from causal_web.model.records import CMOC, SLOT_NAMES, ConceptGroup, Dataset

__all__ = ["DIMENSIONS", "evidence_matrix", "matrix_to_csv"]

_GROUPS = (
    {g.value: g.value for g in ConceptGroup}
    | {g.value.replace("-", " ") + "s": g.value for g in ConceptGroup}
    | {g.value + "s": g.value for g in ConceptGroup}
)
DIMENSIONS = (*SLOT_NAMES, "ioc_type", *(g.value for g in ConceptGroup))


def _values(dataset: Dataset, dimension: str) -> tuple[dict[str, str], Callable[[CMOC], set[str]]]:
    """The labels of a dimension's values, and a function giving a CMOC's values."""
    if dimension in SLOT_NAMES:

        def of_slot(cmoc: CMOC) -> set[str]:
            return {p.concept for p in cmoc.slots(dimension) if p.concept}

        return {c.id: c.pref_label for c in dataset.concepts.values()}, of_slot
    if dimension in ("ioc_type", "ioc-type", "ioc_types"):
        return {t.id: t.pref_label for t in dataset.ioc_types.values()}, lambda cmoc: set(cmoc.ioc_types)
    group = _GROUPS.get(dimension.strip().lower())
    if group is None:
        raise QueryError(
            f"unknown matrix dimension {dimension!r}; use a slot, ioc_type or a concept group: "
            + ", ".join(DIMENSIONS),
            "rows",
        )
    members: set[str] = set()
    children = dataset.children()
    for concept in dataset.concepts.values():
        if concept.group == group:
            members |= dataset.narrower(concept.id, children)

    def of_group(cmoc: CMOC) -> set[str]:
        return cmoc.concepts() & members

    return {c: dataset.concepts[c].pref_label for c in members}, of_group


def evidence_matrix(dataset: Dataset, rows: str, cols: str, scorer: str | None = None) -> dict:
    """The matrix of ``rows`` by ``cols`` (dimensions as in the module docstring)."""
    row_labels, row_of = _values(dataset, rows)
    try:
        col_labels, col_of = _values(dataset, cols)
    except QueryError as error:
        raise QueryError(str(error), "cols") from error
    cells: dict[tuple[str, str], list[str]] = {}
    for cmoc in dataset.cmocs.values():
        if cmoc.kind != "cmoc":
            continue
        for r in row_of(cmoc):
            for c in col_of(cmoc):
                cells.setdefault((r, c), []).append(cmoc.id)
    disagreements = [
        (set(x.sides[0]["records"]), set(x.sides[1]["records"]))
        for x in find_contradictions(dataset)
        if x.kind == "outcome-polarity" and x.bases_differ
    ]
    rules = load_rules()
    out_cells = []
    for (r, c), ids in sorted(cells.items()):
        summary = summarise_items(
            dataset,
            {i: ["unspecified"] for i in ids},
            rules.non_stating_evidence_types,
            rules.non_stating_base_kinds,
        )
        assessed = score(summary, scorer, rules)
        members = set(ids)
        for a, b in disagreements:
            if a & members and b & members:
                assessed["evidence_status"] = "contested"
                assessed["confidence"] = rules.contested_confidence
                assessed["explanation"] += (
                    f"; outcomes in opposite directions ({', '.join(sorted(a & members))} against "
                    f"{', '.join(sorted(b & members))})"
                )
        out_cells.append(
            {
                "row": r,
                "col": c,
                "cmocs": sorted(ids),
                "evidence_bases": summary.evidence_bases,
                "bases": summary.bases,
                "evidence_status": assessed["evidence_status"],
                "confidence": assessed["confidence"],
                "explanation": assessed["explanation"],
            }
        )
    used_rows = sorted({r for r, _c in cells})
    used_cols = sorted({c for _r, c in cells})
    return {
        "rows": rows,
        "cols": cols,
        "row_values": [{"id": r, "label": row_labels.get(r, r)} for r in used_rows],
        "col_values": [{"id": c, "label": col_labels.get(c, c)} for c in used_cols],
        "max_bases": max((cell["evidence_bases"] for cell in out_cells), default=0),
        "cells": out_cells,
    }


def matrix_to_csv(matrix: dict) -> str:
    """One line per row value, one column per column value; a cell reads "R21-001 R21-002 (1 base)"."""
    lookup = {(c["row"], c["col"]): c for c in matrix["cells"]}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    cols = [v["id"] for v in matrix["col_values"]]
    writer.writerow([f"{matrix['rows']} \\ {matrix['cols']}", *cols])
    for row in matrix["row_values"]:
        line = [row["id"]]
        for col in cols:
            cell = lookup.get((row["id"], col))
            line.append(
                f"{' '.join(cell['cmocs'])} ({cell['evidence_bases']} bases, {cell['evidence_status']})"
                if cell
                else ""
            )
        writer.writerow(line)
    return buffer.getvalue()
