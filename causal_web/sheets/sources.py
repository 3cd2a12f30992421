"""A sources table (``--sources FILE``) that free-text citations are resolved against.

A CSV with an ``id`` column (a source ID such as ``smith-2019``) and any of ``citation``,
``number``, ``title``, ``year``, ``doi``, ``url``, ``kind``. A reference as cited resolves when,
case and spacing aside, it equals the row's ID, its citation, or (for a bracketed reference
such as "[12, 15]") each of its numbers equals a row's number. Anything else stays unresolved.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from causal_web.errors import CausalWebError
from causal_web.model.fields import SLUG_PATTERN

__all__ = ["SourceTable"]

_NUMBERS = re.compile(r"^\[\s*\d+(?:\s*[,–-]\s*\d+)*\s*\]$")


def _key(text: str) -> str:
    return " ".join(text.replace(".", " ").split()).casefold()


@dataclass(slots=True)
class SourceTable:
    """The rows of a sources table, indexed by ID, citation and number."""

    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    by_key: dict[str, str] = field(default_factory=dict)
    by_number: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> SourceTable:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CausalWebError(f"{path.name}: cannot read the sources table ({error})") from None
        table = cls()
        reader = csv.DictReader(io.StringIO(text))
        if "id" not in [(h or "").strip().lower() for h in reader.fieldnames or []]:
            raise CausalWebError(f"{path.name}, row 1, column id: the sources table needs an 'id' column")
        for number, raw in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
            ident = row.get("id", "")
            if not SLUG_PATTERN.match(ident):
                raise CausalWebError(
                    f"{path.name}, row {number}, column id: {ident!r} is not a source ID "
                    "(lower-case letters, digits and '-')"
                )
            table.rows[ident] = row
            table.by_key[_key(ident)] = ident
            if row.get("citation"):
                table.by_key[_key(row["citation"])] = ident
            if row.get("number"):
                table.by_number[row["number"]] = ident
        return table

    def resolve(self, reference: str) -> list[str]:
        """The source IDs a reference as cited names, or [] when it does not resolve."""
        found = self.by_key.get(_key(reference))
        if found:
            return [found]
        if _NUMBERS.match(reference):
            ids = []
            for part in re.split(r"\s*,\s*", reference.strip("[] ")):
                if re.fullmatch(r"\d+\s*[–-]\s*\d+", part):
                    low, high = (int(x) for x in re.split(r"\s*[–-]\s*", part))
                    numbers = [str(n) for n in range(low, high + 1)] if high - low < 200 else []
                else:
                    numbers = [part]
                for n in numbers:
                    if n not in self.by_number:
                        return []
                    ids.append(self.by_number[n])
            return list(dict.fromkeys(ids))
        return []

    def record(self, ident: str) -> dict | None:
        """The source record to write for a resolved ID."""
        row = self.rows.get(ident)
        if row is None:
            return None
        record: dict = {"id": ident, "kind": row.get("kind") or "paper"}
        for name in ("title", "authors", "year", "doi"):
            if row.get(name):
                record[name] = row[name]
        if row.get("citation"):
            record["notes"] = f"Cited as: {row['citation']}"
        return record
