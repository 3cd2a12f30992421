"""The evidence matrix as a figure: a heat map of CMOC counts drawn by Graphviz, with a legend.

One Graphviz node holds the matrix as an HTML-like table: a row per row value, a column per
column value, each cell shaded by its number of independent evidence bases and naming its CMOCs.
Contested cells get an orange border. The legend under the table explains shades and borders.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from pathlib import Path

from causal_web.viz.figure import FIGURE_FORMATS, FONT, render_figure
from causal_web.viz.styles import CONTESTED_STYLE

__all__ = ["BASE_SHADES", "matrix_dot", "write_matrix_figure"]

# Light to dark by independent evidence bases: 1, 2, 3 and more (a sequential blue scale that
# prints in greyscale).
BASE_SHADES = ("#deebf7", "#9ecae1", "#4292c6")
_EMPTY = "#ffffff"


def _shade(bases: int) -> str:
    if bases <= 0:
        return _EMPTY
    return BASE_SHADES[min(bases, len(BASE_SHADES)) - 1]


def _cell(cell: dict | None) -> str:
    if cell is None:
        return f'<TD BGCOLOR="{_EMPTY}" BORDER="1" COLOR="#d0d0d0"> </TD>'
    contested = cell["evidence_status"] == "contested"
    border = f' COLOR="{CONTESTED_STYLE.colour}" BORDER="3"' if contested else ' COLOR="#808080" BORDER="1"'
    ids = "<BR/>".join(escape(i) for i in cell["cmocs"][:4])
    more = f"<BR/>+{len(cell['cmocs']) - 4} more" if len(cell["cmocs"]) > 4 else ""
    dark = cell["evidence_bases"] >= len(BASE_SHADES)
    colour = "#ffffff" if dark else "#1a1a1a"
    return (
        f'<TD BGCOLOR="{_shade(cell["evidence_bases"])}"{border}>'
        f'<FONT POINT-SIZE="9" COLOR="{colour}">{ids}{more}</FONT></TD>'
    )


def _legend() -> str:
    swatches = "".join(
        f'<TD BGCOLOR="{colour}" BORDER="1" COLOR="#808080" WIDTH="18"> </TD>'
        f'<TD ALIGN="LEFT"><FONT POINT-SIZE="9">{label}</FONT></TD>'
        for colour, label in zip(BASE_SHADES, ("1 base", "2 bases", "3 or more bases"), strict=True)
    )
    contested = (
        f'<TD BGCOLOR="{_EMPTY}" BORDER="3" COLOR="{CONTESTED_STYLE.colour}" WIDTH="18"> </TD>'
        '<TD ALIGN="LEFT"><FONT POINT-SIZE="9">contested: independent bases disagree</FONT></TD>'
    )
    return (
        '<TABLE BORDER="0" CELLSPACING="4"><TR><TD ALIGN="LEFT"><B>Legend</B> '
        "(cell: its CMOCs; shade: independent evidence bases)</TD></TR><TR><TD>"
        f'<TABLE BORDER="0" CELLSPACING="3"><TR>{swatches}{contested}</TR></TABLE>'
        "</TD></TR></TABLE>"
    )


def matrix_dot(matrix: dict, title: str | None = None) -> str:
    """The matrix of :func:`causal_web.evidence.matrix.evidence_matrix` as DOT text."""
    lookup = {(c["row"], c["col"]): c for c in matrix["cells"]}
    cols = matrix["col_values"]
    header = '<TD BORDER="0"> </TD>' + "".join(
        f'<TD BORDER="0"><FONT POINT-SIZE="10"><B>{escape(c["label"])}</B></FONT></TD>' for c in cols
    )
    rows = [f"<TR>{header}</TR>"]
    for row in matrix["row_values"]:
        cells = "".join(_cell(lookup.get((row["id"], c["id"]))) for c in cols)
        rows.append(f'<TR><TD BORDER="0" ALIGN="RIGHT"><B>{escape(row["label"])}</B></TD>{cells}</TR>')
    table = f'<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="4">{"".join(rows)}</TABLE>'
    heading = title or f"Evidence matrix: {matrix['rows']} by {matrix['cols']}"
    label = (
        f'<TABLE BORDER="0"><TR><TD><FONT POINT-SIZE="16">{escape(heading)}</FONT></TD></TR>'
        f"<TR><TD>{table}</TD></TR><TR><TD>{_legend()}</TD></TR></TABLE>"
    )
    return (
        "digraph evidence_matrix {\n"
        f'  graph [fontname="{FONT}", pad=0.3, bgcolor="white"];\n'
        f'  node [fontname="{FONT}", shape=plaintext];\n'
        f"  matrix [label=<{label}>];\n"
        "}\n"
    )


def write_matrix_figure(
    matrix: dict,
    output: Path,
    formats: Iterable[str] = FIGURE_FORMATS,
    *,
    dpi: int = 150,
    title: str | None = None,
) -> list[Path]:
    """Write the matrix figure next to ``output`` once per format; returns the paths written."""
    text = matrix_dot(matrix, title)
    written = []
    for fmt in formats:
        target = output.with_suffix(f".{fmt}")
        temp = target.with_name(f".{target.name}.tmp")
        temp.write_bytes(render_figure(text, fmt, dpi=dpi))
        temp.replace(target)
        written.append(target)
    return written
