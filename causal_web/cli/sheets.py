"""``causal-web import`` and ``causal-web template``: sheets in, and the empty sheet to fill."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import click

from causal_web.cli.support import guarded

__all__ = ["import_command", "template"]

_PROGRESS_ROWS = 500
"""Sheets with more rows show a progress bar on a terminal."""


def _progress(rows: list) -> Iterable:
    if len(rows) < _PROGRESS_ROWS or not (sys.stderr.isatty() or sys.stdout.isatty()):
        return rows
    with click.progressbar(rows, label="Reading rows", file=sys.stderr) as bar:
        return list(bar)


@click.command("import")
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="New data folder to write.",
)
@click.option(
    "--sheet",
    "sheet_name",
    default=None,
    metavar="NAME|N",
    help="The workbook sheet to read (name or 1-based number); default: every CMOC table.",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="HEADER=SLOT",
    help="Read the column HEADER (its text or 1-based number) as SLOT. Repeatable.",
)
@click.option(
    "--id-prefix", default=None, help="Prefix of IDs made from row numbers (default: the file's stem)."
)
@click.option("--split-sentences", is_flag=True, help="Split cells on sentence ends as well.")
@click.option(
    "--sources",
    "sources_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="CSV of sources (id, citation, number, ...) that citations resolve against.",
)
@click.option("--phase", default="imported", show_default=True, help="Phase for rows without a phase column.")
@click.option(
    "--source",
    default="imported-source",
    show_default=True,
    help="Source ID for rows whose citations are not resolved.",
)
@click.option(
    "--vocabulary",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data folder whose concept labels parts are matched against (default: the bundled "
    "IOC vocabulary); its coding.csv is applied too.",
)
@click.option("--no-vocabulary", is_flag=True, help="Make concepts from short labels alone.")
@click.option(
    "--flag",
    "flags",
    multiple=True,
    metavar="NAME",
    help="Set the record flag NAME (incomplete, split_inferred, configuration_inferred, "
    "ioc_types_inferred) on every imported row, e.g. split_inferred for a transcription whose "
    "split into columns is yours. Repeatable.",
)
@click.option(
    "--no-shacl",
    is_flag=True,
    help="Check the new folder without the SHACL shapes (every other check still runs). SHACL is "
    "the slow part on a large sheet, minutes per 10,000 rows; `causal-web validate` checks it later.",
)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@guarded
def import_command(
    sheet: Path,
    output: Path,
    sheet_name: str | None,
    maps: tuple[str, ...],
    id_prefix: str | None,
    split_sentences: bool,
    sources_file: Path | None,
    phase: str,
    source: str,
    vocabulary: Path | None,
    no_vocabulary: bool,
    flags: tuple[str, ...],
    no_shacl: bool,
    force: bool,
) -> None:
    """Turn a CMOC table (CSV, TSV or XLSX) into a data folder, as the review wrote it.

    Columns are found from the headers realist reviews use (ID/CMO/No., Title, Section/Theme,
    Intervention/Strategy, Context, Actor(s), Mechanism, Mechanism (resource)/(response),
    Outcome(s), Statement/CMO configuration, Sources/Studies, Quote/Excerpt, IOC type(s),
    Flags); other columns are kept as notes. Parts are coded only by exact or alternative-label
    match, or the folder's coding.csv; the rest stay uncoded. See docs/import.md.
    """
    from causal_web.model.loading import load_dataset
    from causal_web.resources import bundled_data_dir
    from causal_web.sheets.flags import check_flag_names
    from causal_web.sheets.importer import import_sheet

    check_flag_names(flags)  # before anything is read or written
    folder = vocabulary or bundled_data_dir()
    known = None if no_vocabulary else load_dataset(folder)
    concepts = list(known.concepts.values()) if known else []
    coding = None
    if (output / "coding.csv").is_file():
        coding = output / "coding.csv"
    elif vocabulary is not None and (vocabulary / "coding.csv").is_file():
        coding = vocabulary / "coding.csv"
    result = import_sheet(
        sheet,
        output,
        phase=phase,
        source=source,
        vocabulary=concepts,
        force=force,
        sheet=sheet_name,
        maps=maps,
        id_prefix=id_prefix,
        split_sentences=split_sentences,
        sources=sources_file,
        coding_file=coding,
        ioc_types=list(known.ioc_types.values()) if known else [],
        flags=flags,
        progress=_progress,
        shacl=not no_shacl,
    )
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"Read sheet(s): {', '.join(repr(s) for s in result.sheets)}")
    for name, headers in result.unmapped.items():
        if headers:
            click.echo(f"Kept as notes ({name}): {', '.join(repr(h) for h in headers)}")
    click.echo(
        f"Wrote {result.folder}: {result.cmocs} CMOCs, {result.concepts} concepts "
        f"({len(result.new_concepts)} new: check their IDs and labels in concepts.yaml)."
    )
    click.echo(f"Next: causal-web validate {result.folder}; causal-web code {result.folder}")


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("extraction.xlsx"),
    show_default=True,
    help="The sheet to write: .xlsx (with a sheet explaining each column) or .csv.",
)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@guarded
def template(output: Path, force: bool) -> None:
    """Write an empty extraction sheet with one example row, ready for `causal-web import`."""
    from causal_web.errors import CausalWebError
    from causal_web.sheets.template import write_template

    if output.exists() and not force:
        raise CausalWebError(f"{output} already exists; choose a new file or pass --force to replace it")
    written = write_template(output)
    click.echo(f"Wrote {written}")
