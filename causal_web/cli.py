"""The ``causal-web`` command line: thin commands over library functions."""

from __future__ import annotations

import functools
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from causal_web.errors import CausalWebError, DataValidationError

__all__ = ["main"]

RDF_FORMATS = ("ttl", "jsonld", "nt", "trig", "nquads")
GRAPH_FORMATS = ("graphml", "gexf", "cytoscape", "csv", "dot")


def _data_option(func: Callable) -> Callable:
    return click.option(
        "--data",
        "data_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Data folder to read (default: the bundled IOC dataset).",
    )(func)


def _json_option(func: Callable) -> Callable:
    return click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")(func)


def _guarded(func: Callable) -> Callable:
    """Turn the library's errors into a message and exit code, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DataValidationError as error:
            click.echo(f"The data is not valid: {error.report.summary()}", err=True)
            sys.exit(1)
        except CausalWebError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(2)
        except (OSError, ValueError) as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(2)

    return wrapper


def _load(data_dir: Path | None, base_iri: str | None = None) -> Any:
    from causal_web.iris import DEFAULT_BASE_IRI
    from causal_web.knowledge_base import load

    return load(data_dir, base_iri=base_iri or DEFAULT_BASE_IRI)


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def write_output(text: str | bytes, output: Path | None) -> None:
    """Write to ``output`` through a temporary file and a rename, or to stdout."""
    if output is None:
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            click.echo(text, nl=not text.endswith("\n"))
        return
    output = output.resolve()
    handle, temp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text.encode("utf-8") if isinstance(text, str) else text)
        os.replace(temp, output)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    click.echo(f"Wrote {output}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="causal-web")
def main() -> None:
    """causal-web: a knowledge graph of context-mechanism-outcome configurations (CMOCs).

    Bundled with the NIHR realist synthesis of inter-organisational collaboration between
    health care providers. Every command that reads data takes --data DIR for your own folder.
    """


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@_data_option
@_json_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--no-shacl", is_flag=True, help="Skip the SHACL shapes (schema and references only).")
@_guarded
def validate(path: Path | None, data_dir: Path | None, as_json: bool, strict: bool, no_shacl: bool) -> None:
    """Check a data folder: schema, references, duplicates and SHACL shapes.

    Exits 0 when the data is valid, 1 with a report naming file, record and field otherwise.
    """
    from causal_web.resources import bundled_data_dir
    from causal_web.validate import validate_folder

    folder = path or data_dir or bundled_data_dir()
    report, counts = validate_folder(folder, shacl=not no_shacl)
    failed = not report.ok or (strict and report.problems)
    if as_json:
        _print_json({**report.to_dict(), "folder": str(folder), "records": counts})
    elif failed:
        click.echo(f"{folder}: {report.summary()}", err=True)
    else:
        extra = f" with {len(report.problems)} warning(s)" if report.problems else ""
        click.echo(
            f"{folder}: valid{extra} ({counts['cmocs']} CMOCs, {counts['links']} links, "
            f"{counts['mechanisms']} mechanisms, {counts['concepts']} concepts, "
            f"{counts['sources']} sources)"
        )
        for problem in report.problems:
            click.echo(str(problem), err=True)
    sys.exit(1 if failed else 0)


@main.command()
@_data_option
@_json_option
@_guarded
def stats(data_dir: Path | None, as_json: bool) -> None:
    """Counts of CMOCs, concepts, sources and links, per phase, and the coverage ledger."""
    from causal_web.knowledge_base import load
    from causal_web.stats import dataset_stats
    from causal_web.tables import render_table

    kb = load(data_dir)
    result = dataset_stats(kb.dataset)
    if as_json:
        _print_json(result)
        return
    totals = result["totals"]
    click.echo(
        f"{totals['cmocs']} CMOCs, {totals['links']} stated links, {totals['mechanisms']} "
        f"mechanism entries, {totals['concepts']} concepts, {totals['sources']} sources, "
        f"{totals['concept_edges']} concept-to-concept links"
    )
    click.echo("")
    click.echo(
        render_table(
            ["phase", "CMOCs", "links", "mechanisms", "concepts", "sources"],
            [
                [p["id"], p["cmocs"], p["links"], p["mechanisms"], p["concepts"], p["sources"]]
                for p in result["phases"]
            ],
        )
    )
    click.echo("\nCoverage ledger (transcribed / known to exist):")
    entries = result["coverage"]["entries"]
    click.echo(
        render_table(
            ["source", "item", "transcribed", "known", "complete"],
            [
                [e["source"], e["item"], e["transcribed"], e["known"], "yes" if e["complete"] else "no"]
                for e in entries
            ],
            max_width=60,
        )
    )
    gaps = [g for e in entries for g in e["gaps"]]
    if gaps:
        click.echo("\nKnown gaps:")
        for gap in gaps:
            click.echo(f"  - {gap}")


@main.command()
@_data_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(RDF_FORMATS + GRAPH_FORMATS),
    default="ttl",
    show_default=True,
    help="RDF (ttl, jsonld, nt, trig, nquads) or a graph format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: standard output).",
)
@click.option("--base-iri", default=None, help="Base IRI for the data's IRIs.")
@_guarded
def export(data_dir: Path | None, fmt: str, output: Path | None, base_iri: str | None) -> None:
    """Export the knowledge base as RDF or as a graph file for other tools."""
    from causal_web.exports import export_text

    kb = _load(data_dir, base_iri)
    write_output(export_text(kb, fmt), output)


@main.command()
@_data_option
@click.option("--check", is_flag=True, help="Only report files that are not canonical (exit 1 if any).")
@_guarded
def lint(data_dir: Path | None, check: bool) -> None:
    """Rewrite the data files in canonical form (key order, quoting, layout)."""
    from causal_web.canonical import lint_folder
    from causal_web.resources import bundled_data_dir

    folder = data_dir or bundled_data_dir()
    changed = lint_folder(folder, check=check)
    verb = "not canonical" if check else "rewritten"
    for name in changed:
        click.echo(f"{name}: {verb}")
    if not changed:
        click.echo(f"{folder}: every file is canonical")
    sys.exit(1 if check and changed else 0)


@main.group()
def dev() -> None:
    """Commands for maintainers of causal-web itself."""


@dev.command()
@click.option("--check", is_flag=True, help="Exit 1 if causal_web/namespaces.py is out of date.")
def namespace(check: bool) -> None:
    """Regenerate causal_web/namespaces.py from ontology/causal-web.ttl."""
    from rdflib import Graph

    from causal_web.ontology_terms import render_namespace_module
    from causal_web.resources import ontology_file

    text = render_namespace_module(Graph().parse(ontology_file(), format="turtle"))
    target = Path(__file__).with_name("namespaces.py")
    if target.read_text(encoding="utf-8") == text:
        click.echo("namespaces.py is up to date")
        return
    if check:
        click.echo("namespaces.py is out of date: run `causal-web dev namespace`", err=True)
        sys.exit(1)
    target.write_text(text, encoding="utf-8")
    click.echo(f"Wrote {target}")
