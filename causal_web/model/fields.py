"""Field access for parsing plain records: every bad value is reported, never raised.

Shared by :mod:`causal_web.model.parse` (configurations and their evidence) and
:mod:`causal_web.model.parse_catalogue` (phases, sources, concepts).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from causal_web.model.records import Citation
from causal_web.model.validation import ValidationReport

__all__ = ["ID_PATTERN", "SLUG_PATTERN", "Reader", "read_citation", "read_items", "start_record"]

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_CITATION_FIELDS = ("source", "table", "row", "section", "curated_file")


class Reader:
    """Field access for one record that reports, rather than raises, on bad values."""

    __slots__ = ("data", "file", "prefix", "record", "report")

    def __init__(
        self, data: Mapping, file: str, record: str, report: ValidationReport, prefix: str = ""
    ) -> None:
        self.data, self.file, self.record = data, file, record
        self.report, self.prefix = report, prefix

    def problem(self, rule: str, name: str, message: str) -> None:
        self.report.add(rule, self.file, self.record, self.prefix + name, message)

    def check_fields(self, allowed: tuple[str, ...]) -> None:
        for key in self.data:
            if key not in allowed:
                import difflib  # only for a misspelt field: kept off the start-up path

                near = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f" Did you mean {near[0]!r}?" if near else ""
                self.problem(
                    "schema.unknown-field",
                    str(key),
                    f"unknown field {key!r}.{hint} Allowed: {', '.join(allowed)}.",
                )

    def text(self, name: str, required: bool = False) -> str:
        value = self.data.get(name)
        if type(value) is str and value:  # the common case, first
            return value.strip()
        if value is None or value == "":
            if required:
                self.problem("schema.required", name, f"required field {name!r} is missing or empty.")
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem(
                "schema.type",
                name,
                f"{name!r} must be text, not {type(value).__name__}. Quote it or fix it.",
            )
            return ""
        return str(value).strip()

    def ident(self, name: str, pattern: re.Pattern = ID_PATTERN, required: bool = True) -> str:
        value = self.text(name, required=required)
        if value and not pattern.match(value):
            self.problem(
                "schema.id-format",
                name,
                f"{value!r} is not a valid ID: use letters, digits, '.', '_' or '-' "
                f"(slugs: lower-case letters, digits and '-').",
            )
        return value

    def choice(self, name: str, allowed: tuple[str, ...], default: str | None) -> str | None:
        value = self.data.get(name, default)
        if value is None:
            return None
        if value not in allowed:
            self.problem(
                "schema.enum",
                name,
                f"{value!r} is not allowed; use one of: {', '.join(allowed)}.",
            )
            return default
        return str(value)

    def flag(self, name: str) -> bool:
        value = self.data.get(name, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.problem("schema.type", name, f"{name!r} must be true or false, not {value!r}.")
            return False
        return value

    def integer(self, name: str) -> int:
        value = self.data.get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem("schema.type", name, f"{name!r} must be a whole number, not {value!r}.")
            return 0
        return value

    def text_list(self, name: str, required: bool = False) -> list[str]:
        value = self.data.get(name)
        if value is None or value == []:
            if required:
                self.problem("schema.required", name, f"{name!r} needs at least one entry.")
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem("schema.type", name, f"{name!r} must be a list of non-empty text values.")
            return []
        return [v.strip() for v in value]

    def mapping(self, name: str, required: bool = False) -> Mapping | None:
        value = self.data.get(name)
        if value is None:
            if required:
                self.problem("schema.required", name, f"required field {name!r} is missing.")
            return None
        if not isinstance(value, Mapping):
            self.problem("schema.type", name, f"{name!r} must be a mapping of fields.")
            return None
        return value

    def child(self, data: Mapping, prefix: str) -> Reader:
        return Reader(data, self.file, self.record, self.report, self.prefix + prefix)


def _record_id(data: Any, index: int) -> str:
    if isinstance(data, Mapping) and isinstance(data.get("id"), str) and data["id"].strip():
        return data["id"].strip()
    return f"#{index + 1}"


def start_record(
    data: Any, kind: str, file: str, index: int, report: ValidationReport, fields: tuple
) -> Reader | None:
    record = _record_id(data, index)
    if not isinstance(data, Mapping):
        report.add(
            "schema.type",
            file,
            record,
            "",
            f"each {kind} must be a mapping of fields, not {type(data).__name__}.",
        )
        return None
    reader = Reader(data, file, record, report)
    reader.check_fields(fields)
    return reader


def read_citation(reader: Reader, required: bool = True) -> Citation | None:
    data = reader.mapping("citation", required=required)
    if data is None:
        return None
    sub = reader.child(data, "citation.")
    sub.check_fields(_CITATION_FIELDS)
    return Citation(
        source=sub.ident("source"),
        table=sub.text("table", required=True),
        row=sub.text("row", required=True),
        section=sub.text("section"),
        curated_file=sub.text("curated_file"),
    )


def read_items(reader: Reader, name: str) -> list[tuple[Reader, Any]]:
    """The entries of a list field, each with a reader prefixed ``name[i].``."""
    value = reader.data.get(name)
    if value is None:
        return []
    if isinstance(value, Mapping):
        value = [value]
    if not isinstance(value, list):
        reader.problem("schema.type", name, f"{name!r} must be a list.")
        return []
    found = []
    for position, item in enumerate(value):
        where = f"{name}[{position}]"
        if not isinstance(item, Mapping):
            reader.problem("schema.type", where, f"each entry of {name!r} must be a mapping of fields.")
            continue
        found.append((reader.child(item, where + "."), item))
    return found
