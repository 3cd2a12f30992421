"""Exceptions raised by causal-web. Messages name the offending value and say what to fix."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from causal_web.model.validation import ValidationReport

__all__ = [
    "CausalWebError",
    "DataValidationError",
    "QueryError",
    "UnknownIdError",
    "close_matches",
]


class CausalWebError(Exception):
    """Base class of every error causal-web raises on purpose."""


class DataValidationError(CausalWebError):
    """A data folder failed validation; ``report`` lists every problem found."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        super().__init__(report.summary())


class QueryError(CausalWebError, ValueError):
    """A query was asked with a bad parameter; ``parameter`` names it when there is one."""

    def __init__(self, message: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.parameter = parameter


def close_matches(value: str, candidates: Iterable[str], n: int = 5) -> list[str]:
    """Candidates that look like ``value``: prefix and substring hits first, then fuzzy ones."""
    pool = list(candidates)
    lowered = value.lower()
    direct = [c for c in pool if lowered and lowered in c.lower()]
    fuzzy = difflib.get_close_matches(value, pool, n=n, cutoff=0.6)
    seen: list[str] = []
    for candidate in direct + fuzzy:
        if candidate not in seen:
            seen.append(candidate)
    return seen[:n]


class UnknownIdError(CausalWebError, LookupError):
    """An ID that the knowledge base does not hold; suggests close matches."""

    def __init__(self, kind: str, value: str, candidates: Iterable[str]) -> None:
        self.kind = kind
        self.value = value
        self.suggestions = close_matches(value, candidates)
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"Unknown {kind} {value!r}.{hint}")
