"""Named SPARQL queries for the common questions, kept as ``sparql_queries/*.rq`` files.

Each file starts with ``# title:`` and ``# description:`` lines. The queries use only the
vocabulary (never the base IRI), so they run on any deployment's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from causal_web.errors import UnknownIdError

if TYPE_CHECKING:
    from causal_web.knowledge_base import KnowledgeBase

__all__ = ["QUERY_DIR", "NamedQuery", "named_queries", "run_named_query"]

QUERY_DIR = Path(__file__).with_name("sparql_queries")


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """One stored SPARQL query."""

    name: str
    title: str
    description: str
    text: str


def _header(text: str, key: str) -> str:
    for line in text.splitlines():
        if line.startswith(f"# {key}:"):
            return line.split(":", 1)[1].strip()
    return ""


@cache
def named_queries() -> dict[str, NamedQuery]:
    """Every named query, by file name without ``.rq``."""
    queries = {}
    for path in sorted(QUERY_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        queries[path.stem] = NamedQuery(path.stem, _header(text, "title"), _header(text, "description"), text)
    return queries


def run_named_query(kb: KnowledgeBase, name: str) -> list[dict[str, object]]:
    """Rows of a named SELECT query on the embedded store."""
    from causal_web.rdf.store import select_rows

    queries = named_queries()
    if name not in queries:
        raise UnknownIdError("named query", name, queries)
    return select_rows(kb.store, queries[name].text)
