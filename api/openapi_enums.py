"""Enums in the OpenAPI document for the parameters whose values are known: ``phase`` and
``group`` from the loaded data, ``status`` and ``kind`` from the model's constants.

Generated clients then offer the allowed values, and schemathesis generates them. Nothing
here changes what a route accepts: a value outside the enum still gets its own problem answer
(an unknown ID lists the close matches).
"""

from __future__ import annotations

from typing import Any

from causal_web.model.records import RECORD_KINDS, STATUSES, Dataset
from causal_web.viz.styles import CATEGORIES

__all__ = ["add_parameter_enums", "parameter_values"]


def parameter_values(dataset: Dataset, path: str, name: str) -> list[str] | None:
    """The values the ``name`` parameter of ``path`` takes, or None if they are open."""
    if name == "phase":
        return sorted(dataset.phases)
    if name == "group":
        if path.startswith("/viz/"):
            return sorted(CATEGORIES)
        return sorted({c.group for c in dataset.concepts.values() if c.group})
    if name == "status":
        return list(STATUSES)
    if name == "kind":
        return [*RECORD_KINDS, "all"]
    return None


def _string_schemas(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The string schemas a parameter's value is checked against (inside anyOf / array items)."""
    found = []
    for option in schema.get("anyOf", [schema]):
        if option.get("type") == "array":
            option = option.get("items", {})
        if option.get("type") == "string":
            found.append(option)
    return found


def add_parameter_enums(openapi: dict[str, Any], dataset: Dataset) -> None:
    """Add ``enum`` to every ``phase``, ``group``, ``status`` and ``kind`` query parameter of
    ``openapi`` (in place); a parameter that has an enum already keeps it."""
    for path, operations in openapi.get("paths", {}).items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "query":
                    continue
                values = parameter_values(dataset, path, parameter["name"])
                if not values:
                    continue
                for schema in _string_schemas(parameter.get("schema", {})):
                    schema.setdefault("enum", values)
