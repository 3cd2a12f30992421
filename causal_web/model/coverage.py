"""The coverage ledger: for each source table, what is transcribed against what exists."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from causal_web.model.records import Dataset

__all__ = ["CoverageEntry", "CoverageLedger", "coverage_ledger"]


@dataclass(slots=True)
class CoverageEntry:
    """One source table or item, with its transcribed rows counted from the data."""

    id: str
    source: str
    item: str
    transcribed: int
    known: int | None
    gaps: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.known is not None and self.transcribed >= self.known

    @property
    def known_text(self) -> str:
        return "unknown" if self.known is None else str(self.known)

    def to_dict(self) -> dict:
        return {
            **asdict(self),
            "known": self.known_text if self.known is None else self.known,
            "complete": self.complete,
        }


@dataclass(slots=True)
class CoverageLedger:
    """Every ledger entry of a dataset."""

    entries: list[CoverageEntry]

    @property
    def gaps(self) -> list[str]:
        return [gap for entry in self.entries for gap in entry.gaps]

    def to_dict(self) -> dict:
        return {
            "entries": [e.to_dict() for e in self.entries],
            "complete": sum(e.complete for e in self.entries),
            "incomplete_or_unknown": sum(not e.complete for e in self.entries),
        }


def _citation_counts(dataset: Dataset) -> Counter:
    counts: Counter = Counter()
    for kind, records in (
        ("cmoc", dataset.cmocs),
        ("link", dataset.links),
        ("mechanism", dataset.mechanisms),
        ("entry-point", dataset.entry_points),
        ("demi-regularity", dataset.demi_regularities),
        ("theory", dataset.theories),
    ):
        for record in records.values():
            if record.citation is not None:
                counts[kind, record.citation.source, record.citation.table] += 1
    for source in dataset.sources.values():
        if source.citation is not None:
            counts["study", source.citation.source, source.citation.table] += 1
    return counts


def coverage_ledger(dataset: Dataset) -> CoverageLedger:
    """The ledger of ``dataset``: counts come from the records' citations, never from the file."""
    counts = _citation_counts(dataset)
    entries = []
    for raw in dataset.coverage:
        record_type = str(raw.get("record_type", "none"))
        source, table = str(raw.get("source", "")), str(raw.get("table", ""))
        if record_type == "none":
            transcribed = int(raw.get("transcribed", 0) or 0)
        else:
            transcribed = counts[record_type, source, table]
        known = raw.get("known")
        entries.append(
            CoverageEntry(
                id=str(raw.get("id", "")),
                source=source,
                item=str(raw.get("item", "")),
                transcribed=transcribed,
                known=known if isinstance(known, int) and not isinstance(known, bool) else None,
                gaps=[str(g) for g in raw.get("gaps", []) or []],
            )
        )
    return CoverageLedger(entries)
