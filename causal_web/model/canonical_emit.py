"""The canonical YAML text of plain records, fast: the same bytes as ``canonical.dump_yaml``.

PyYAML's pure-Python emitter spends about 4 ms on each CMOC, so writing a synthetic web of a
million records would take over an hour. Records are made of few distinct pieces: in block
style each ``key: scalar`` entry and each ``- scalar`` item is written the same way wherever it
sits at a given indent, and most of them repeat (labels, concept IDs, judgements). This module
lays out the block structure itself and asks :func:`~causal_web.model.canonical.dump_yaml` for
each distinct entry once, so quoting, escaping and line folding stay PyYAML's own. Anything
outside plain mappings, lists and scalars goes to ``dump_yaml`` whole.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from causal_web.model.canonical import dump_yaml

__all__ = ["BlockEmitter"]

_SCALARS = (str, int, bool, type(None))
# Words of letters, digits, '.', '_' and '-', single spaces between: no indicator, quote, colon
# or hash, so PyYAML writes them plain, or in single quotes when they would read as another type
# ('16', 'true', '1.5'). IDs, labels and row numbers are mostly like this.
_SIMPLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(?: [A-Za-z0-9._-]+)*\Z")
_RESOLVER = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"
_SHORT = 80  # well inside the width of 100, where PyYAML would fold a long scalar


def _simple(value: Any, column: int) -> str | None:
    """How PyYAML writes ``value`` starting at ``column``, when that is plain to see."""
    if type(value) is not str or column + len(value) + 2 > _SHORT or not _SIMPLE.match(value):
        return None
    if _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == _STR:
        return value
    return f"'{value}'"


class _NotPlain(Exception):
    """The data has something the fast path does not lay out (PyYAML's emitter does)."""


def _value(cache: tuple) -> Any:
    """The value an entry's cache key stands for (a fresh one for an empty list or mapping, so
    that PyYAML never sees the same object twice and writes an alias)."""
    kind = cache[1]
    return cache[2] if kind in _SCALARS else kind()


def _nest(depth: int, inner: dict) -> dict:
    for _ in range(depth):
        inner = {"k": inner}
    return inner


class BlockEmitter:
    """Canonical YAML text for documents of mappings, lists and scalars; keeps its cache."""

    def __init__(self) -> None:
        self._entries: dict[tuple, str] = {}
        self._items: dict[tuple, str] = {}
        self._heads: dict[tuple, str] = {}
        self._missing: tuple[set, set] | None = None

    def dump(self, data: Mapping) -> str:
        """The text ``dump_yaml(data)`` gives."""
        try:
            # First pass: note the entries not seen before, and have PyYAML write them in
            # batches (one document per indent); second pass: lay the text out.
            self._missing = (set(), set())
            self._mapping(data, 0, [], first_prefix="")
            self._fill(*self._missing)
            self._missing = None
            out: list[str] = []
            self._mapping(data, 0, out, first_prefix="")
            return "".join(out) if out else dump_yaml(data)
        except _NotPlain:
            self._missing = None
            return dump_yaml(data)

    def _fill(self, entries: set, items: set) -> None:
        by_indent: dict[tuple[str, int], list[tuple]] = {}
        for cache in entries:
            by_indent.setdefault(("entry", cache[3]), []).append(cache)
        for cache in items:
            by_indent.setdefault(("item", cache[2]), []).append(cache)
        for (what, indent), caches in by_indent.items():
            caches.sort(key=repr)  # any order will do; a fixed one keeps runs alike
            if what == "entry" and indent < 4:
                for cache in caches:
                    lines = dump_yaml(_nest(indent // 2, {cache[0]: _value(cache)})).splitlines(keepends=True)
                    self._entries[cache] = "".join(lines[indent // 2 :])[indent:]
                continue
            if what == "entry":  # single-entry mappings as items of a list whose dashes sit at indent - 2
                depth, dash = (indent - 4) // 2, indent - 2
                values: list = [{c[0]: _value(c)} for c in caches]
                target = self._entries
            else:  # the scalars as items of one list whose dashes sit at indent
                depth, dash = (indent - 2) // 2, indent
                values = [c[1] for c in caches]
                target = self._items
            lines = dump_yaml(_nest(depth, {"k": values})).splitlines(keepends=True)[depth + 1 :]
            start = " " * dash + "- "
            chunks: list[list[str]] = []
            for line in lines:
                if line.startswith(start):
                    chunks.append([line])
                else:  # a folded or literal scalar's continuation: always indented further
                    chunks[-1].append(line)
            if len(chunks) != len(caches):  # pragma: no cover - PyYAML always writes one item each
                raise _NotPlain
            skip = dash + 2 if what == "entry" else dash  # an item keeps its "- "
            for cache, chunk in zip(caches, chunks, strict=True):
                target[cache] = "".join(chunk)[skip:]

    def _entry(self, key: str, value: Any, indent: int) -> str:
        """``key: value`` at ``indent``, without its leading spaces (PyYAML writes it)."""
        kind = type(value)
        cache = (key, kind, value if kind in _SCALARS else None, indent)  # or an empty list or dict
        text = self._entries.get(cache)
        if text is None and kind is str:
            written = _simple(value, indent + len(key) + 2)
            if written is not None and _simple(key, indent) == key:
                text = self._entries[cache] = f"{key}: {written}\n"
        if text is None:
            if self._missing is not None:
                self._missing[0].add(cache)
                return ""
            lines = dump_yaml(_nest(indent // 2, {key: value})).splitlines(keepends=True)
            text = self._entries[cache] = "".join(lines[indent // 2 :])[indent:]
        return text

    def _item(self, value: Any, indent: int) -> str:
        """``- value`` of a list whose dashes sit at ``indent``, without the leading spaces."""
        cache = (type(value), value, indent)
        text = self._items.get(cache)
        if text is None and type(value) is str:
            written = _simple(value, indent + 2)
            if written is not None:
                text = self._items[cache] = f"- {written}\n"
        if text is None:
            if self._missing is not None:
                self._missing[1].add(cache)
                return ""
            depth = indent // 2 - 1
            lines = dump_yaml(_nest(depth, {"k": [value]})).splitlines(keepends=True)
            text = self._items[cache] = "".join(lines[depth + 1 :])[indent:]
        return text

    def _head(self, key: str, indent: int) -> str:
        """``key:`` opening a nested mapping or list at ``indent`` (quoted if PyYAML would)."""
        cache = (key, indent)
        text = self._heads.get(cache)
        if text is None:
            lines = dump_yaml(_nest(indent // 2, {key: {"k": 1}})).splitlines(keepends=True)
            text = self._heads[cache] = lines[indent // 2][indent:]
        return text

    def _mapping(self, data: Mapping, indent: int, out: list[str], first_prefix: str) -> None:
        pad = " " * indent
        for position, (key, value) in enumerate(data.items()):
            if type(key) is not str or len(key) > 100:  # PyYAML writes a long key as "? key"
                raise _NotPlain
            out.append(first_prefix if position == 0 else pad)
            kind = type(value)
            if kind in _SCALARS or (kind in (list, dict) and not value):
                out.append(self._entry(key, value, indent))
            elif kind is dict:
                out.append(self._head(key, indent))
                self._mapping(value, indent + 2, out, " " * (indent + 2))
            elif kind is list:
                out.append(self._head(key, indent))
                self._sequence(value, indent + 2, out)
            else:
                raise _NotPlain

    def _sequence(self, items: list, indent: int, out: list[str]) -> None:
        pad = " " * indent
        for value in items:
            kind = type(value)
            if kind in _SCALARS:
                out.append(pad)
                out.append(self._item(value, indent))
            elif kind is dict and value:
                self._mapping(value, indent + 2, out, pad + "- ")
            else:  # a list in a list, or an empty mapping as an item
                raise _NotPlain
