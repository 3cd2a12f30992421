"""``causal-web serve``: start the API on the bundled data (or --data DIR, or --index INDEX_DIR)
and the embedded store, in one process or several (--workers N)."""

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
@click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Start from this on-disk index (`causal-web index -o INDEX_DIR`) instead of reading the "
    "YAML. With --data, the index must have been built from exactly those folders as they are now.",
)
@click.option(
    "--rebuild-index",
    is_flag=True,
    help="With --index: rebuild the index first when it is stale, missing or damaged (from --data, "
    "or from the folders it was built from).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Server processes sharing one listening socket and the loaded data (copy-on-write).",
)
def serve(
    host: str | None,
    port: int | None,
    data_dir: Path | None,
    base_iri: str | None,
    index_dir: Path | None,
    rebuild_index: bool,
    workers: int,
    sparql_endpoint: str | None = None,
    sparql_update_endpoint: str | None = None,
) -> None:
    """Start the API service: JSON, linked data and a SPARQL endpoint.

    Settings also come from the environment (CAUSAL_WEB_HOST, CAUSAL_WEB_PORT, CAUSAL_WEB_DATA,
    CAUSAL_WEB_BASE_IRI, CAUSAL_WEB_CORS_ORIGINS, CAUSAL_WEB_SPARQL_TIMEOUT,
    CAUSAL_WEB_SPARQL_MAX_ROWS, CAUSAL_WEB_SPARQL_WORKERS); options win over them. With
    --workers N the SPARQL workers are shared out among the N processes (at least one each).
    """
    import sys

    from pydantic import ValidationError

    from causal_web.api.app import create_app
    from causal_web.api.settings import Settings
    from causal_web.cli.index import serving_knowledge_base
    from causal_web.cli.workers import run_server
    from causal_web.errors import CausalWebError, DataValidationError

    if rebuild_index and index_dir is None:
        click.echo("Error: --rebuild-index needs --index INDEX_DIR (the index to rebuild).", err=True)
        sys.exit(2)
    several = data_dir if isinstance(data_dir, tuple) else None  # --data given more than once
    given = {"host": host, "port": port, "data": None if several else data_dir, "base_iri": base_iri}
    try:
        settings = Settings(**{k: v for k, v in given.items() if v is not None})
    except ValidationError as error:
        click.echo(f"Error: bad setting: {error}", err=True)
        sys.exit(2)
    if workers > 1:
        share = max(1, settings.sparql_workers // workers)
        settings = settings.model_copy(update={"sparql_workers": share})
    folders = list(several) if several else [settings.data] if settings.data is not None else []
    try:
        if sparql_endpoint:  # a remote store (causal_web.remote)
            from causal_web.remote.cli import load_for_serve

            if index_dir is not None:
                click.echo("Error: give --sparql-endpoint or --index, not both.", err=True)
                sys.exit(2)
            kb = load_for_serve(
                sparql_endpoint, sparql_update_endpoint, several or data_dir, settings.resolved_base_iri
            )
        else:
            kb = serving_knowledge_base(
                folders,
                index_dir,
                rebuild_index,
                settings.resolved_base_iri,
                base_iri_given=settings.base_iri is not None,
            )
            if index_dir is not None:
                _freeze_loaded(rebuilt=rebuild_index)
        app = create_app(kb, settings)
    except DataValidationError as error:
        click.echo(f"The data is not valid: {error.report.summary()}", err=True)
        sys.exit(1)
    except (CausalWebError, OSError, ValueError) as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
    url = settings.url
    where = ", ".join(str(folder) for folder in several) if several else kb.data_dir
    if index_dir is not None:
        where = f"the index {index_dir.resolve()}"
    where = sparql_endpoint or where
    click.echo(f"causal-web API: {len(kb.dataset.cmocs)} CMOCs from {where}", err=True)
    click.echo(f"  explorer     {url}", err=True)
    click.echo(f"  API docs     {url}docs   (OpenAPI: {url}openapi.json)", err=True)
    click.echo(f"  SPARQL       {url}sparql", err=True)
    click.echo(f"  data IRIs    {kb.base_iri}", err=True)
    sys.exit(run_server(app, settings.host, settings.port, workers=workers))


def _freeze_loaded(rebuilt: bool) -> None:
    """Move what the index unpickled (millions of objects at scale, all live as long as the
    service) out of the garbage collector's reach. Left in its young generation, the first few
    collections after start-up would each walk all of it: 1.5 s CPU of start-up at 50k CMOCs,
    and a pause in whichever request set them off. After a rebuild in this process, its garbage
    is collected first, so that none of it is kept."""
    import gc

    if rebuilt:
        gc.collect()
    gc.freeze()
