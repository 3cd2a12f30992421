"""Full validation of a data folder: schema, references, duplicates, then SHACL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from causal_web.evidence.quotes import check_quotes
from causal_web.model.loading import read_dataset
from causal_web.model.validation import ValidationReport

__all__ = ["validate_folder"]


def validate_folder(
    folder: str | Path,
    shacl: bool = True,
    strict: bool = False,
    before_shacl: Callable[[int], None] | None = None,
) -> tuple[ValidationReport, dict]:
    """Every problem in ``folder`` and the number of records read. Every quote is checked against
    its source's text; ``strict`` also warns about quotes that have no text to be checked against.

    SHACL runs only when the schema and reference checks pass: shapes on a half-read dataset
    would repeat the same problems in less helpful words. ``before_shacl`` is called with the
    number of records just before the shapes are checked (the slow part, on a large folder).
    """
    dataset, report = read_dataset(folder)
    check_quotes(dataset, report, strict=strict)
    if report.ok:  # guidance cites records: check it only on a dataset read whole
        from causal_web.guidance.query import check_guidance

        check_guidance(dataset, Path(folder), report)
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
