"""``causal-web index``: build the on-disk index once; and how ``serve`` picks its knowledge
base (from files, from an index, or from an index it rebuilds first)."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from causal_web.cli.support import data_option, guarded

__all__ = ["index_command", "serving_knowledge_base"]


def _printer(quiet: bool) -> Any:
    """Progress lines on stderr: elapsed time, phase, message."""
    started = time.perf_counter()

    def progress(phase: str, message: str) -> None:
        if not quiet:
            click.echo(f"[index {time.perf_counter() - started:7.1f} s] {phase}: {message}", err=True)

    return progress


def _folders(data_dir: Path | tuple[Path, ...] | None) -> list[Path]:
    if data_dir is None:
        return []
    return list(data_dir) if isinstance(data_dir, tuple) else [data_dir]


@click.command("index")
@data_option
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The index folder to write (replaced whole once the new index is complete).",
)
@click.option(
    "--base-iri",
    default=None,
    help="Base of the data IRIs [default: https://w3id.org/causal-web/]; `serve --index` uses "
    "the one the index was built with.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print no progress, only the summary.")
@guarded
def index_command(
    data_dir: Path | tuple[Path, ...] | None, out: Path, base_iri: str | None, quiet: bool
) -> None:
    """Build an on-disk index of the data for `causal-web serve --index INDEX_DIR`.

    Loads and validates the data once (the bundled data by default; --data more than once for
    several reviews) and writes INDEX_DIR: an on-disk SPARQL store, the records and the causal
    web, and a manifest with the data's content hash. A new index is built beside the old one
    and swapped in when complete, so a build that fails or is killed leaves the old index.
    Progress goes to stderr: load, RDF, store, web, write.
    """
    from causal_web.index import build_index
    from causal_web.rdf.iris import DEFAULT_BASE_IRI

    if base_iri == "self":
        raise click.BadParameter("'self' is resolved by serve; give the IRI itself.", param_hint="--base-iri")
    started = time.perf_counter()
    manifest = build_index(
        _folders(data_dir), out, base_iri=base_iri or DEFAULT_BASE_IRI, progress=_printer(quiet)
    )
    counts = manifest["counts"]
    click.echo(
        f"Wrote the index {out.resolve()}: {counts['cmocs']:,} CMOCs, {counts['quads']:,} quads, "
        f"{len(manifest['reviews'])} review(s), in {time.perf_counter() - started:.1f} s "
        f"({manifest['content_hash'][:19]}…)",
        err=True,
    )


def serving_knowledge_base(
    folders: Sequence[Path],
    index: Path | None,
    rebuild: bool,
    base_iri: str,
    base_iri_given: bool,
) -> Any:
    """The knowledge base ``serve`` runs on, or exit with a message (2) when it cannot be had.

    Without ``index``: the folders, loaded. With ``index`` and no folders: the index as it is.
    With both: the index when its content hash matches the folders; a stale (or missing or
    damaged) index is refused, or rebuilt first when ``rebuild``.
    """
    from causal_web.errors import CausalWebError, DataValidationError
    from causal_web.index import IndexFormatError, StaleIndexError, build_index, check_fresh, open_index
    from causal_web.index.layout import read_manifest
    from causal_web.knowledge_base import load

    def fail(message: str, code: int = 2) -> None:
        click.echo(f"Error: {message}", err=True)
        sys.exit(code)

    try:
        if index is None:
            return load(list(folders) or None, base_iri=base_iri).index()
        if rebuild:
            sources = list(folders) or _built_from(index)
            try:
                check_fresh(index, sources)
                fresh = True
            except (StaleIndexError, IndexFormatError):
                fresh = False
            if not fresh or (base_iri_given and read_manifest(index)["base_iri"] != base_iri):
                click.echo(
                    f"Rebuilding the index {index} from {', '.join(map(str, sources)) or 'the bundled data'}",
                    err=True,
                )
                build_index(sources, index, base_iri=base_iri, progress=_printer(False))
        elif folders:
            check_fresh(index, folders)
        manifest = read_manifest(index)
        if base_iri_given and manifest["base_iri"] != base_iri:
            fail(
                f"the index at {index} mints data IRIs under {manifest['base_iri']}, not {base_iri}. "
                f"Rebuild it with `causal-web index --base-iri {base_iri} -o {index}`, or leave out "
                "--base-iri (and CAUSAL_WEB_BASE_IRI)."
            )
        return open_index(index)
    except DataValidationError as error:
        click.echo(f"The data is not valid: {error.report.summary()}", err=True)
        sys.exit(1)
    except StaleIndexError as error:
        fail(str(error))
    except (CausalWebError, OSError, ValueError) as error:
        fail(str(error))
    raise AssertionError("unreachable")  # pragma: no cover


def _built_from(index: Path) -> list[Path]:
    """The folders an index was built from, as its manifest records them (none when it cannot
    be read: the bundled data then)."""
    from causal_web.index import IndexFormatError, read_manifest

    try:
        manifest = read_manifest(index)
    except IndexFormatError:
        return []
    return [Path(r["folder"]) for r in manifest["reviews"] if isinstance(r, dict) and r.get("folder")]
