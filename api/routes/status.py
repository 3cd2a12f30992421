"""Health, counts and the coverage ledger."""

from __future__ import annotations

import os

from fastapi import APIRouter, Response

import causal_web
from causal_web.api.deps import KB
from causal_web.api.models import CoverageLedger, Health, Stats
from causal_web.model.coverage import coverage_ledger
from causal_web.review_set import review_stats

router = APIRouter(tags=["Status"])


@router.get("/health", response_model=Health, summary="Is the service up?")
async def health(kb: KB, response: Response) -> dict:
    """Answers at once, on the event loop: it needs no thread and no SPARQL worker. The
    ``X-Worker-PID`` header names the server process that answered (``serve --workers N``)."""
    response.headers["X-Worker-PID"] = str(os.getpid())
    return {
        "status": "ok",
        "version": causal_web.__version__,
        "base_iri": kb.base_iri,
        "cmocs": len(kb.dataset.cmocs),
        "concepts": len(kb.dataset.concepts),
        "sources": len(kb.dataset.sources),
    }


@router.get("/coverage", response_model=CoverageLedger, summary="The coverage ledger")
async def coverage(kb: KB) -> dict:
    """For each source table: rows transcribed against rows known to exist, and known gaps."""
    return coverage_ledger(kb.dataset).to_dict()


@router.get("/stats", response_model=Stats, response_model_exclude_unset=True, summary="Counts")
async def stats(kb: KB) -> dict:
    """Counts of CMOCs, links, concepts and sources, overall and per phase, and the ledger
    (the same as ``causal-web stats --json``); with several reviews loaded, each review's too."""
    return review_stats(kb)
