"""HTTP content negotiation: which offered media type an Accept header prefers.

The Accept header is parsed by werkzeug (quality values, wildcards, malformed ranges). Media
type parameters other than ``q`` are dropped before matching: werkzeug would otherwise demand
that ``text/csv;charset=utf-8`` match an offer with the same parameters, and every offer here
is a bare type whose charset is fixed.
"""

from __future__ import annotations

from collections.abc import Sequence

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

__all__ = ["negotiate"]


def negotiate(accept: str | None, offered: Sequence[str]) -> str | None:
    """The media type of ``offered`` that ``accept`` (an HTTP Accept header) prefers.

    No header, an empty one, one with no usable range, or ``*/*`` gives the first offered type.
    The highest quality wins, then the more specific range, then the order of ``offered``.
    None when the client accepts none of them.
    """
    if not offered:
        return None
    if accept is None or not accept.strip():
        return offered[0]
    parsed = parse_accept_header(accept, MIMEAccept)
    ranges = [(value.split(";", 1)[0].strip().lower(), quality) for value, quality in parsed]
    ranges = [(value, quality) for value, quality in ranges if value]
    if not ranges:
        return offered[0]
    return MIMEAccept(ranges).best_match([media.lower() for media in offered])
