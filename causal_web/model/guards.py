"""Checks on raw YAML data before it is parsed into the model: the things a schema reader
would otherwise accept silently, or pay for later.

* Duplicate mapping keys, at any depth, the top level included: PyYAML keeps the last value
  and drops the rest without a word. :class:`UniqueKeysMixin` refuses them in PyYAML's own
  constructor, :func:`duplicate_key_error` turns a refusal into an error that names the key,
  its record and its line.
* IDs must be text: ``id: 12345`` reads as a number, and a number that looks like an ID is a
  sign of a spreadsheet cell gone wrong.
* Text values over :data:`MAX_TEXT_CHARS` characters, and control characters other than tab
  and newline (YAML escapes such as ``"\\e"`` or ``"\\r"`` included), are refused early with a
  clear error, before anything downstream spends time on them.

Limits are documented in ``docs/limits.md``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from causal_web.model.validation import ValidationReport

__all__ = [
    "ID_FIELDS",
    "MAX_TEXT_CHARS",
    "DuplicateKeyError",
    "DuplicateKeys",
    "UniqueKeysMixin",
    "check_document",
    "duplicate_key_error",
    "report_duplicate_key",
]

MAX_TEXT_CHARS = 100_000
# Fields that hold an ID or a reference to one, wherever they appear in a record.
ID_FIELDS = frozenset({"id", "phase", "previous", "part_of", "source", "concept", "from", "to"})
# C0 controls but tab and newline, DEL, and the C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MERGE_TAGS = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")


class DuplicateKeys(Exception):
    """Raised inside the constructor when a mapping repeats a key; located afterwards."""


class DuplicateKeyError(yaml.MarkedYAMLError):
    """A mapping repeats a key: which key, in which record, where."""

    def __init__(self, key: str, record: str, field: str, mark: yaml.Mark | None) -> None:
        self.key, self.record, self.field = key, record, field
        where = f"the record {record!r}" if record else "the top level of the file"
        super().__init__(
            problem=f"duplicate key {key!r} in {where}: YAML would keep only the last value. "
            "Remove or rename one of them",
            problem_mark=mark,
        )


class UniqueKeysMixin:
    """Put before a PyYAML loader class: its mappings then refuse a repeated key."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        seen = set()
        for key_node, _value in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag not in _MERGE_TAGS:
                key = (key_node.tag, key_node.value)
                if key in seen:
                    raise DuplicateKeys
                seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]


def _key_text(node: yaml.Node) -> str:
    return node.value if isinstance(node, yaml.ScalarNode) else f"<{node.id}>"


def _dotted(path: list[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _record_id(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if _key_text(key_node) == "id" and isinstance(value_node, yaml.ScalarNode):
                return value_node.value
    return ""


def duplicate_key_error(root: yaml.Node) -> DuplicateKeyError:
    """The first repeated key under ``root`` (a composed document), as an error to raise."""
    todo: list[tuple[yaml.Node, list[str | int], str]] = [(root, [], "")]
    seen_nodes: set[int] = set()
    while todo:
        node, path, record = todo.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            for index, child in reversed(list(enumerate(node.value))):
                # a record is an item of a top-level section's list
                child_record = record or (_record_id(child) or f"#{index + 1}" if len(path) == 1 else "")
                todo.append((child, [*path, index], child_record))
        elif isinstance(node, yaml.MappingNode):
            keys: set[tuple[str, str]] = set()
            for key_node, _value in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag not in _MERGE_TAGS:
                    key = (key_node.tag, key_node.value)
                    if key in keys:
                        field = _dotted([*(path[2:] if record else path), key_node.value])
                        return DuplicateKeyError(key_node.value, record, field, key_node.start_mark)
                    keys.add(key)
            for key_node, value_node in reversed(node.value):
                todo.append((value_node, [*path, _key_text(key_node)], record))
    return DuplicateKeyError("?", "", "", None)


def report_duplicate_key(error: DuplicateKeyError, file: str, report: ValidationReport) -> None:
    """Add the duplicate key as a problem naming the file, record, field and line."""
    mark = error.problem_mark
    line = f" (line {mark.line + 1})" if mark else ""
    report.add("yaml.duplicate-key", file, error.record, error.field, f"{error.problem}{line}.")


def _check_text(file: str, record: str, field: str, text: str, report: ValidationReport) -> None:
    if len(text) > MAX_TEXT_CHARS:
        report.add(
            "text.too-long",
            file,
            record,
            field,
            f"text of {len(text):,} characters, over the {MAX_TEXT_CHARS:,}-character limit "
            "(docs/limits.md). Shorten it or move the full text to the source.",
        )
        return
    control = _CONTROL.search(text)
    if control:
        report.add(
            "text.control-character",
            file,
            record,
            field,
            f"control character U+{ord(control.group()):04X} at position {control.start() + 1}. "
            "Remove it: only tab and newline are allowed in text.",
        )


def _check_id(file: str, record: str, field: str, value: Any, report: ValidationReport) -> None:
    name = field.rsplit(".", 1)[-1]
    report.add(
        "schema.id-type",
        file,
        record,
        field,
        f"{name!r} must be text, not the {type(value).__name__} {value!r}. "
        f"Quote it ('{value}') if that is the ID you mean.",
    )


def _looks_clean(record: Mapping) -> bool:
    """True when nothing in ``record`` can need a problem: the common case, checked cheaply.

    Collects every text value and searches them joined, in one pass of the expression; the
    caller walks the record again, naming each field, only when this finds something.
    """
    texts: list[str] = []
    todo: list[Any] = [record]
    number = (bool, int, float)
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            for key, child in item.items():
                if type(child) is str:
                    texts.append(child)
                elif isinstance(child, (dict, list)):
                    todo.append(child)
                elif isinstance(child, number):
                    if key in ID_FIELDS:
                        return False
                elif isinstance(child, str | Mapping):
                    return False  # a subclass or another mapping type: the careful walk
        elif isinstance(item, list):
            for child in item:
                if type(child) is str:
                    texts.append(child)
                elif isinstance(child, (dict, list)):
                    todo.append(child)
                elif isinstance(child, str | Mapping):
                    return False
        else:
            return False
    if texts and max(map(len, texts)) > MAX_TEXT_CHARS:
        return False
    return _CONTROL.search("\n".join(texts)) is None


def _check_record(file: str, record: Mapping, index: int, report: ValidationReport) -> None:
    if _looks_clean(record):
        return
    raw_id = record.get("id")
    name = raw_id.strip() if isinstance(raw_id, str) and raw_id.strip() else f"#{index + 1}"
    todo: list[tuple[Any, str]] = [(record, "")]
    while todo:
        item, where = todo.pop()
        if isinstance(item, Mapping):
            for key, child in item.items():
                field = f"{where}.{key}" if where else str(key)
                if isinstance(child, str):
                    if len(child) > MAX_TEXT_CHARS or _CONTROL.search(child):
                        _check_text(file, name, field, child, report)
                elif isinstance(child, (bool, int, float)):
                    if key in ID_FIELDS:
                        _check_id(file, name, field, child, report)
                elif isinstance(child, (Mapping, list)):
                    todo.append((child, field))
        elif isinstance(item, list):
            for position, child in enumerate(item):
                field = f"{where}[{position}]"
                if isinstance(child, str):
                    if len(child) > MAX_TEXT_CHARS or _CONTROL.search(child):
                        _check_text(file, name, field, child, report)
                elif isinstance(child, (Mapping, list)):
                    todo.append((child, field))


def check_document(data: Any, file: str, report: ValidationReport) -> None:
    """Add a problem for each non-text ID, overlong text or control character in ``data``
    (a whole file's top-level mapping)."""
    if not isinstance(data, Mapping):
        return
    for section, items in data.items():
        if isinstance(items, list):
            for index, record in enumerate(items):
                if isinstance(record, Mapping):
                    _check_record(file, record, index, report)
                elif isinstance(record, str):
                    _check_text(file, "", f"{section}[{index}]", record, report)
        elif isinstance(items, Mapping):  # e.g. the concept scheme
            _check_record(file, items, 0, report)
        elif isinstance(items, str):
            _check_text(file, "", str(section), items, report)
