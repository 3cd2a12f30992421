"""A sheet's record flags and IOC types: the "Flags" and "IOC type(s)" columns, and ``--flag``.

A flags cell lists record flags separated by ',' or ';' (case, spaces and hyphens aside:
"Split inferred" reads as ``split_inferred``). An IOC type cell lists IOC types, coded against the
vocabulary's IOC types by ID or label; one the vocabulary does not have is the team's own and is
made from its text, as a ``<slot>_concept`` value is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from causal_web.errors import CausalWebError
from causal_web.model.normalise import slugify
from causal_web.model.records import Concept
from causal_web.model.serialise import ioc_type_to_dict

__all__ = ["RECORD_FLAGS", "IocTypes", "check_flag_names", "flag_name", "read_flags"]

RECORD_FLAGS = ("incomplete", "split_inferred", "configuration_inferred", "ioc_types_inferred")
"""The flags a CMOC record carries (see :class:`causal_web.model.records.CMOC`), in their order."""


def flag_name(text: str) -> str | None:
    """The record flag ``text`` names, or None when it names none."""
    name = re.sub(r"[\s-]+", "_", text.strip().lower())
    return name if name in RECORD_FLAGS else None


def read_flags(cell: str) -> tuple[list[str], list[str]]:
    """The record flags of a flags cell, and the values that name no flag (as written)."""
    known: list[str] = []
    unknown: list[str] = []
    for value in re.split(r"[,;\n]", cell):
        if not value.strip():
            continue
        name = flag_name(value)
        if name is None:
            unknown.append(value.strip())
        elif name not in known:
            known.append(name)
    return known, unknown


def check_flag_names(names: Iterable[str]) -> list[str]:
    """The flags of ``--flag NAME`` options; :class:`CausalWebError` for a name that is none."""
    found = []
    for text in names:
        name = flag_name(text)
        if name is None:
            raise CausalWebError(
                f"--flag {text!r} is not a record flag; use one of {', '.join(RECORD_FLAGS)}"
            )
        if name not in found:
            found.append(name)
    return found


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


@dataclass(slots=True)
class IocTypes:
    """Codes IOC type values against the vocabulary's IOC types, collecting those a folder needs."""

    vocabulary: list[Concept] = field(default_factory=list)
    used: dict[str, Concept] = field(default_factory=dict)
    _index: dict[str, Concept] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        for ioc in self.vocabulary:
            label = ioc.pref_label
            # "Mandated (IOC type)": the bracketed kind is the vocabulary's, not the sheet's
            bare = re.sub(r"\s*\(IOC type\)\s*$", "", label, flags=re.IGNORECASE)
            for text in (ioc.id, label, bare):
                self._index.setdefault(_key(text), ioc)

    def code(self, value: str) -> str:
        """The IOC type ID of one value (empty when no ID can be made from it)."""
        found = self._index.get(_key(value))
        if found is None:
            ident = slugify(value)
            if ident and ident not in self.used:
                self.used[ident] = Concept(ident, ident.replace("-", " ").capitalize())
            return ident
        if found.id not in self.used:
            self.used[found.id] = found
        return found.id

    def records(self, concepts: Iterable[str]) -> list[dict]:
        """The IOC types used, for concepts.yaml; links to concepts the folder lacks are dropped."""
        present = set(concepts)
        return [
            ioc_type_to_dict(
                replace(ioc, exact_match=[m for m in ioc.exact_match if ":" in m or m in present])
            )
            for _id, ioc in sorted(self.used.items())
        ]
