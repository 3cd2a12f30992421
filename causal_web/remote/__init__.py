"""Remote SPARQL stores: push a knowledge base into one, and serve the API from one.

- :func:`push` / :func:`push_quads` write the quads, graph by graph, through the Graph Store
  Protocol or SPARQL Update (:mod:`.push`);
- :func:`load_remote` builds a knowledge base from a store at start-up (:mod:`.load`);
- :class:`RemoteSparqlRunner` answers ``/sparql`` by forwarding to the store (:mod:`.sparql`).

Only the standard library talks HTTP here; nothing imports FastAPI.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Loaded on first use, so that `causal-web --help` does not pay for pyoxigraph.
_HOMES = {
    "RemoteStoreError": "client",
    "SparqlClient": "client",
    "RemoteKnowledgeBase": "load",
    "load_remote": "load",
    "DEFAULT_BATCH_SIZE": "push",
    "PushSummary": "push",
    "push": "push",
    "push_quads": "push",
    "RemoteSparqlRunner": "sparql",
}

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "PushSummary",
    "RemoteKnowledgeBase",
    "RemoteSparqlRunner",
    "RemoteStoreError",
    "SparqlClient",
    "load_remote",
    "push",
    "push_quads",
]


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(f"causal_web.remote.{_HOMES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
