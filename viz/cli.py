"""``causal-web render`` (standalone HTML) and ``causal-web figure`` (SVG and PNG for papers).

Registered on the main CLI at the end of ``causal_web/cli/main.py``. Only click is imported here
at module level, so ``causal-web --help`` stays fast; the work is done by :mod:`viz`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from causal_web.cli.support import data_option, guarded

__all__ = ["figure", "render"]


def _view_options(func: Callable) -> Callable:
    """What to draw: the whole web (default), --focus ID, or --from X --to Y [--via V]."""
    options = [
        data_option,
        click.option("--focus", metavar="ID", default=None, help="Draw this concept's neighbourhood."),
        click.option("--from", "start", metavar="X", default=None, help="Draw the chains from concept X..."),
        click.option("--to", "end", metavar="Y", default=None, help="...to concept Y."),
        click.option(
            "--via",
            metavar="V",
            default=None,
            help="Chains must pass through V (a concept or 'core mechanisms').",
        ),
        click.option(
            "--max-hops", type=click.IntRange(1, 8), default=4, show_default=True, help="Longest chain."
        ),
        click.option(
            "--phase",
            "phases",
            multiple=True,
            metavar="PHASE",
            help="Only evidence from this phase (repeatable).",
        ),
        click.option(
            "--group",
            "groups",
            multiple=True,
            metavar="GROUP",
            help="Only concepts of this group or role, e.g. core-mechanism, context (repeatable).",
        ),
        click.option(
            "--min-sources",
            type=click.IntRange(1),
            default=1,
            show_default=True,
            help="Only arrows with this many sources.",
        ),
        click.option(
            "--include-background",
            is_flag=True,
            help="Chains: also use records that are not findings (background, aggregate claims).",
        ),
        click.option("--title", default=None, help="Title (default: describes the view)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _build_view(
    data_dir: Path | None,
    focus: str | None,
    start: str | None,
    end: str | None,
    via: str | None,
    max_hops: int,
    phases: tuple[str, ...],
    groups: tuple[str, ...],
    min_sources: int,
    include_background: bool = False,
) -> Any:
    from causal_web.knowledge_base import load
    from causal_web.viz.network import neighbourhood_network, traced_chains_network, web_network
    from causal_web.viz.view import ViewFilter

    if focus and (start or end):
        raise click.UsageError("give either --focus or --from/--to, not both")
    if bool(start) != bool(end):
        raise click.UsageError("--from and --to go together")
    if via and not start:
        raise click.UsageError("--via needs --from and --to")
    if include_background and not start:
        raise click.UsageError("--include-background needs --from and --to")
    web = load(data_dir).web
    filters = ViewFilter.of(phases, groups, min_sources)
    if focus:
        return neighbourhood_network(web, focus, filters)
    if start and end:
        return traced_chains_network(
            web,
            start,
            end,
            via=via,
            max_hops=max_hops,
            min_sources=min_sources,
            phases=phases or None,
            include_background=include_background,
            whole_web=True,  # a file or figure shows the chains in the web around them
        )
    return web_network(web, filters)


@click.command()
@_view_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="HTML file to write (default: standard output).",
)
@guarded
def render(output: Path | None, title: str | None, **view: Any) -> None:
    """Write an interactive, self-contained HTML view of the causal web.

    The file works offline: vis-network and the data are inlined and it loads nothing from
    the network. Hover for summaries, click a concept or an arrow for its evidence, filter by
    phase, concept group and number of sources.

    \b
    causal-web render -o web.html
    causal-web render --focus trust -o trust.html
    causal-web render --from shared-vision --to care-quality --via trust -o chains.html
    """
    from causal_web.cli.support import write_output
    from causal_web.viz.template import render_standalone

    html = render_standalone(_build_view(**view), title=title)
    write_output(html, output)


@click.command()
@_view_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write: the suffix is set per format (fig -> fig.svg, fig.png).",
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(["svg", "png", "both"]),
    default="both",
    show_default=True,
    help="Which files to write.",
)
@click.option("--dpi", type=click.IntRange(50, 600), default=150, show_default=True, help="PNG resolution.")
@click.option(
    "--whole-web/--chains-only",
    default=False,
    help="For chains: draw the rest of the web too (default: the chains alone).",
)
@click.option(
    "--matrix",
    nargs=2,
    metavar="ROWS COLS",
    default=None,
    help="Draw the evidence matrix instead: rows and columns, each a slot, ioc_type or concept group.",
)
@guarded
def figure(
    output: Path,
    formats: str,
    dpi: int,
    whole_web: bool,
    title: str | None,
    matrix: tuple[str, str] | None,
    **view: Any,
) -> None:
    """Write a figure for a paper (SVG and PNG, with a legend), drawn by Graphviz 'dot'.

    \b
    causal-web figure -o web
    causal-web figure --focus trust -o trust --format png --dpi 300
    causal-web figure --from shared-vision --to care-quality --via trust -o chains
    causal-web figure --matrix context mechanism -o matrix
    """
    from causal_web.viz.figure import FIGURE_FORMATS, write_figure

    chosen = FIGURE_FORMATS if formats == "both" else (formats,)
    if matrix:
        from causal_web.evidence.matrix import evidence_matrix
        from causal_web.knowledge_base import load
        from causal_web.viz.matrix_figure import write_matrix_figure

        grid = evidence_matrix(load(view["data_dir"]).dataset, *matrix)
        for path in write_matrix_figure(grid, output, chosen, dpi=dpi, title=title):
            click.echo(f"Wrote {path}", err=True)
        return
    for path in write_figure(
        _build_view(**view), output, chosen, dpi=dpi, chains_only=not whole_web, title=title
    ):
        click.echo(f"Wrote {path}", err=True)
