"""Several reviews side by side: their IDs, the SKOS mappings between their concepts, and the
merged dataset the combined views read (docs/rdf.md, "Several reviews").

Each data folder is one review. Its ID is its concept scheme's ``id`` (``concepts.yaml``), or
the folder's name when that is taken. Reviews share one IRI space: an ID means the same thing
in every review loaded (a concept ID names one concept, so reviews coded against a shared
vocabulary share its concepts), and two reviews may not use the same record ID. Concepts
with different IDs are joined by ``skos:exactMatch`` or ``skos:closeMatch`` in a mapping file,
``mappings.csv``, in any of the folders.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from pathlib import Path

from causal_web.errors import CausalWebError
from causal_web.model.normalise import slugify
from causal_web.model.records import Dataset

__all__ = [
    "MAPPING_FILE",
    "MAPPING_RELATIONS",
    "ConceptMapping",
    "ReviewError",
    "merge_datasets",
    "read_mappings",
    "review_id",
    "review_ids",
]

MAPPING_FILE = "mappings.csv"
MAPPING_RELATIONS = ("exactMatch", "closeMatch")
_RECORD_TABLES = ("cmocs", "links", "mechanisms", "nestings", "entry_points", "demi_regularities", "theories")
_CATALOGUE_TABLES = ("phases", "sources", "bases", "concepts", "ioc_types")


class ReviewError(CausalWebError, ValueError):
    """Reviews that cannot be loaded side by side, or a bad mapping file."""


@dataclass(frozen=True, slots=True)
class ConceptMapping:
    """``concept`` skos:exactMatch (or closeMatch) ``match``; ``match`` is a concept ID or an IRI."""

    concept: str
    relation: str
    match: str
    notes: str = ""
    file: str = ""

    def to_dict(self) -> dict:
        data = {"concept": self.concept, "relation": self.relation, "match": self.match}
        if self.notes:
            data["notes"] = self.notes
        return data


def review_id(folder: str | Path, dataset: Dataset | None = None) -> str:
    """The review's ID: its scheme ID when that is a slug, else its folder's name as a slug."""
    scheme_id = ""
    if dataset is not None:
        scheme_id = str(dataset.scheme.get("id") or "")
    else:
        path = Path(folder) / "concepts.yaml"
        if path.is_file():
            import yaml

            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
                scheme_id = str(((data or {}).get("scheme") or {}).get("id") or "")
            except (yaml.YAMLError, AttributeError, UnicodeDecodeError):
                scheme_id = ""
    return (
        scheme_id
        if scheme_id and slugify(scheme_id) == scheme_id
        else slugify(Path(folder).resolve().name) or "review"
    )


def review_ids(folders: Sequence[Path], datasets: Sequence[Dataset]) -> list[str]:
    """One distinct ID per folder: its :func:`review_id`, else its folder name, else a number."""
    ids: list[str] = []
    for position, (folder, dataset) in enumerate(zip(folders, datasets, strict=True), start=1):
        for candidate in (
            review_id(folder, dataset),
            slugify(Path(folder).resolve().name),
            f"review-{position}",
        ):
            if candidate and candidate not in ids:
                ids.append(candidate)
                break
        else:  # pragma: no cover - review-N is always free
            raise ReviewError(f"no distinct ID for the review in {folder}")
    return ids


def read_mappings(folder: str | Path) -> list[ConceptMapping]:
    """The SKOS mappings of ``folder``'s mapping file (none without one).

    Columns: ``concept``, ``relation`` (exactMatch or closeMatch), ``match`` and optional
    ``notes``. Raises :class:`ReviewError` naming the file, the line and the column.
    """
    path = Path(folder) / MAPPING_FILE
    if not path.is_file():
        return []
    name = f"{Path(folder).name}/{MAPPING_FILE}"
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8").removeprefix("\ufeff"), newline=""))
    headers = [h.strip() for h in reader.fieldnames or []]
    for column in ("concept", "relation", "match"):
        if column not in headers:
            raise ReviewError(
                f"{name}, line 1: missing column {column!r} (columns: concept, relation, match, notes)."
            )
    reader.fieldnames = headers
    found = []
    for row in reader:
        cells = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if not any(cells.values()):
            continue
        line = reader.line_num
        for column in ("concept", "match"):
            if not cells[column]:
                raise ReviewError(f"{name}, line {line}, column {column!r}: empty.")
        if cells["relation"] not in MAPPING_RELATIONS:
            raise ReviewError(
                f"{name}, line {line}, column 'relation': {cells['relation']!r}; "
                "use exactMatch or closeMatch."
            )
        found.append(
            ConceptMapping(cells["concept"], cells["relation"], cells["match"], cells.get("notes", ""), name)
        )
    return found


def check_mappings(mappings: Sequence[ConceptMapping], concepts: set[str]) -> None:
    """Every mapped concept ID (a ``match`` may also be an IRI) must be a loaded concept."""
    for m in mappings:
        for column, value in (("concept", m.concept), ("match", m.match)):
            if (column == "concept" or ":" not in value) and value not in concepts:
                raise ReviewError(f"{m.file}: {column} {value!r} is not a concept of the reviews loaded.")


def merge_datasets(
    ids: Sequence[str], datasets: Sequence[Dataset], mappings: Sequence[ConceptMapping] = ()
) -> tuple[Dataset, dict[str, str]]:
    """One dataset holding every review's records, and record ID to review ID.

    Catalogue entries (phases, sources, bases, concepts, IOC types) with the same ID are one
    entry: the first review's wins. A record ID used by two reviews is refused. exactMatch
    mappings are added to the concepts' ``exact_match``.
    """
    merged = Dataset()
    owner: dict[str, str] = {}
    for rid, dataset in zip(ids, datasets, strict=True):
        for name in _CATALOGUE_TABLES:
            table = getattr(merged, name)
            for key, value in getattr(dataset, name).items():
                table.setdefault(key, copy(value) if name == "concepts" else value)
        for name in _RECORD_TABLES:
            table = getattr(merged, name)
            for key, value in getattr(dataset, name).items():
                if key in owner:
                    raise ReviewError(
                        f"record ID {key!r} is in review {owner[key]!r} and in review {rid!r}: "
                        "record IDs must differ between the reviews loaded side by side."
                    )
                owner[key] = rid
                table[key] = value
        merged.coverage.extend(dataset.coverage)
        for key, text in dataset.texts.items():
            merged.texts.setdefault(key, text)
        if not merged.scheme:
            merged.scheme = dict(dataset.scheme)
    check_mappings(mappings, set(merged.concepts))
    for m in mappings:
        if m.relation == "exactMatch":
            concept = merged.concepts[m.concept]
            concept.exact_match = (
                [*concept.exact_match, m.match] if m.match not in concept.exact_match else concept.exact_match
            )
    return merged, owner
