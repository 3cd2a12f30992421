"""``causal-web serve``: start the API on the bundled data (or --data DIR) and the embedded store."""

from __future__ import annotations

from pathlib import Path

import click

from causal_web.cli.support import data_option

__all__ = ["serve"]


@click.command()
@click.option("--host", default=None, help="Interface to listen on [default: 127.0.0.1].")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port [default: 8000].")
@data_option
@click.option(
    "--base-iri",
    default=None,
    help="Base of the data IRIs [default: https://w3id.org/causal-web/]; 'self' mints them under "
    "this service's own address, so that they resolve here.",
)
@click.option(
    "--sparql-endpoint",
    metavar="URL",
    default=None,
    help="Serve from a remote SPARQL 1.1 store's query endpoint (filled by `causal-web push`) "
    "instead of data files; see docs/deployment.md.",
)
@click.option(
    "--sparql-update-endpoint",
    metavar="URL",
    default=None,
    help="The remote store's update endpoint: with --data, the folder is pushed there first.",
)
def serve(
    host: str | None,
    port: int | None,
    data_dir: Path | None,
    base_iri: str | None,
    sparql_endpoint: str | None = None,
    sparql_update_endpoint: str | None = None,
) -> None:
    """Start the API service: JSON, linked data and a SPARQL endpoint.

    Settings also come from the environment (CAUSAL_WEB_HOST, CAUSAL_WEB_PORT, CAUSAL_WEB_DATA,
    CAUSAL_WEB_BASE_IRI, CAUSAL_WEB_CORS_ORIGINS, CAUSAL_WEB_SPARQL_TIMEOUT,
    CAUSAL_WEB_SPARQL_MAX_ROWS, CAUSAL_WEB_SPARQL_WORKERS); options win over them.
    """
    import sys

    import uvicorn
    from pydantic import ValidationError

    from causal_web.api.app import create_app
    from causal_web.api.settings import Settings
    from causal_web.errors import CausalWebError, DataValidationError
    from causal_web.knowledge_base import load

    several = data_dir if isinstance(data_dir, tuple) else None  # --data given more than once
    given = {"host": host, "port": port, "data": None if several else data_dir, "base_iri": base_iri}
    try:
        settings = Settings(**{k: v for k, v in given.items() if v is not None})
    except ValidationError as error:
        click.echo(f"Error: bad setting: {error}", err=True)
        sys.exit(2)
    try:
        if sparql_endpoint:  # a remote store (causal_web.remote)
            from causal_web.remote.cli import load_for_serve

            kb = load_for_serve(
                sparql_endpoint, sparql_update_endpoint, several or data_dir, settings.resolved_base_iri
            )
        else:
            kb = load(several or settings.data, base_iri=settings.resolved_base_iri).index()
        app = create_app(kb, settings)
    except DataValidationError as error:
        click.echo(f"The data is not valid: {error.report.summary()}", err=True)
        sys.exit(1)
    except (CausalWebError, OSError, ValueError) as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
    url = settings.url
    where = ", ".join(str(folder) for folder in several) if several else kb.data_dir
    where = sparql_endpoint or where
    click.echo(f"causal-web API: {len(kb.dataset.cmocs)} CMOCs from {where}", err=True)
    click.echo(f"  explorer     {url}", err=True)
    click.echo(f"  API docs     {url}docs   (OpenAPI: {url}openapi.json)", err=True)
    click.echo(f"  SPARQL       {url}sparql", err=True)
    click.echo(f"  data IRIs    {kb.base_iri}", err=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")
