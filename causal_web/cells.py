"""Cells that are safe to open in a spreadsheet program.

A spreadsheet treats a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or a carriage return) as a formula, so a hostile label in an export could run
one when the file is opened. Following the OWASP guidance on CSV injection, such a cell gets
a leading single quote, which spreadsheets read as "this is text" and do not show. A cell
that is a plain number (``-1``, ``+0.5``) is left alone: it is not a formula, and it must stay
a number for the tools that read these exports.

Every CSV or XLSX export of the project passes its cells through :func:`escape_cell`.
"""

from __future__ import annotations

import re

__all__ = ["FORMULA_STARTS", "escape_cell", "escape_row"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def escape_cell(value: object) -> object:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def escape_row(values: list) -> list:
    """Every cell of a row through :func:`escape_cell`."""
    return [escape_cell(v) for v in values]
