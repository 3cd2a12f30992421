"""Dependencies injected into routes: the loaded knowledge base, the settings, the SPARQL runner."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from causal_web.api.settings import Settings
from causal_web.knowledge_base import KnowledgeBase
from causal_web.rdf.sparql import SparqlRunner

__all__ = ["KB", "AppSettings", "Sparql", "get_kb", "get_settings", "get_sparql"]


async def get_kb(request: Request) -> KnowledgeBase:
    """The knowledge base the app was made with."""
    return request.app.state.kb


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_sparql(request: Request) -> SparqlRunner:
    """The pool of SPARQL worker processes."""
    return request.app.state.sparql


KB = Annotated[KnowledgeBase, Depends(get_kb)]
AppSettings = Annotated[Settings, Depends(get_settings)]
Sparql = Annotated[SparqlRunner, Depends(get_sparql)]
