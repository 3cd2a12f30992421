"""``causal-web push``, and the loading step of ``causal-web serve --sparql-endpoint``."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from causal_web.cli.support import data_option, guarded
from causal_web.rdf.iris import DEFAULT_BASE_IRI

__all__ = ["load_for_serve", "push_command"]


def _push_with_progress(kb: object, endpoint: str | None, graph_store: str | None, **options: object) -> str:
    from causal_web.remote.push import push

    total = len(kb.store)  # type: ignore[attr-defined]
    # click draws the bar only on a terminal; elsewhere it prints the label once.
    with click.progressbar(length=total, label="Pushing triples", file=sys.stderr) as bar:
        summary = push(kb, endpoint, graph_store=graph_store, progress=bar.update, **options)  # type: ignore[arg-type]
    return summary.text()


@click.command("push")
@click.option(
    "--endpoint",
    metavar="URL",
    help="The store's SPARQL Update endpoint (Oxigraph: /update, Fuseki: /DATASET/update, "
    "Virtuoso: /sparql, GraphDB: /repositories/REPO/statements). The triples go there as INSERT "
    "DATA in batches, unless --graph-store is given.",
)
@click.option(
    "--graph-store",
    metavar="URL",
    help="The store's Graph Store Protocol address (Oxigraph: /store, Fuseki: /DATASET/data, "
    "Virtuoso: /sparql-graph-crud): each graph is PUT, then POSTed in batches, as N-Triples.",
)
@data_option
@click.option("--base-iri", default=None, help=f"Base of the data IRIs [default: {DEFAULT_BASE_IRI}].")
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=5_000,
    show_default=True,
    help="Triples per request (a graph with blank nodes always goes in one request).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds to wait for each answer of the store.",
)
@guarded
def push_command(
    endpoint: str | None,
    graph_store: str | None,
    data_dir: Path | tuple[Path, ...] | None,
    base_iri: str | None,
    batch_size: int,
    timeout: float,
) -> None:
    """Load a data folder into a remote SPARQL store (Oxigraph server, Fuseki, Virtuoso, GraphDB).

    Validates the data, then writes every named graph the embedded store would hold: one per
    phase and the catalogue (with --data given more than once, each review's own graphs, the
    reviews graph and the mappings), and the ontology graph. Each graph is replaced. Then
    `causal-web serve --sparql-endpoint QUERY-URL` serves the API from the store.
    """
    from causal_web.knowledge_base import load
    from causal_web.remote.client import SparqlClient

    if endpoint is None and graph_store is None:
        raise click.UsageError("give the store's update endpoint (--endpoint URL) or --graph-store URL.")
    SparqlClient(update_url=endpoint, graph_store=graph_store)  # refuses a bad address before loading
    kb = load(data_dir, base_iri=base_iri or DEFAULT_BASE_IRI)
    click.echo(
        _push_with_progress(kb, endpoint, graph_store, batch_size=batch_size, timeout=timeout), err=True
    )


def load_for_serve(
    endpoint: str,
    update_endpoint: str | None,
    data: Path | Sequence[Path] | None,
    base_iri: str,
) -> object:
    """``serve --sparql-endpoint``: the knowledge base read from the store, after pushing
    ``data`` into it first when a folder was given (which needs the update endpoint)."""
    from causal_web.errors import CausalWebError
    from causal_web.remote.load import load_remote

    if data:
        if update_endpoint is None:
            raise CausalWebError(
                "--data with --sparql-endpoint pushes the folder into the store first, which needs "
                "--sparql-update-endpoint URL; or push it beforehand with `causal-web push` and leave "
                "--data out."
            )
        from causal_web.knowledge_base import load

        click.echo(_push_with_progress(load(data, base_iri=base_iri), update_endpoint, None), err=True)
    return load_remote(endpoint, update_endpoint, base_iri=base_iri).index()
