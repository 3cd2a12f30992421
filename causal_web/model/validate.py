"""Full validation of a data folder: schema, references, duplicates, then SHACL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from causal_web.model.loading import read_dataset
from causal_web.model.validation import ValidationReport

__all__ = ["validate_folder"]


def validate_folder(
    folder: str | Path, shacl: bool = True, before_shacl: Callable[[int], None] | None = None
) -> tuple[ValidationReport, dict]:
    """Every problem in ``folder`` and the number of records read.

    SHACL runs only when the schema and reference checks pass: shapes on a half-read dataset
    would repeat the same problems in less helpful words. ``before_shacl`` is called with the
    number of records just before the shapes are checked (the slow part, on a large folder).
    """
    dataset, report = read_dataset(folder)
    if shacl and report.ok:
        from causal_web.rdf.shacl import check_shacl

        if before_shacl is not None:
            before_shacl(len(dataset.cmocs) + len(dataset.links) + len(dataset.mechanisms))

        check_shacl(dataset, report)
    counts = {
        "cmocs": len(dataset.cmocs),
        "links": len(dataset.links),
        "mechanisms": len(dataset.mechanisms),
        "concepts": len(dataset.concepts),
        "sources": len(dataset.sources),
    }
    return report, counts
