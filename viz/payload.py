"""The whole web's drawing as the explorer fetches it: JSON bytes, gzipped once, with an ETag.

At 10,000 concepts the drawing is about 35 MB of JSON. Compressing it on every request (the
API's gzip middleware, level 5) and hashing it for an ETag took longer than drawing it in the
browser, so both are done once per web and filter and kept with the JSON
(:func:`viz.network.web_network_json` keeps the last few filters). The API's middleware leaves
a response alone that already has a ``Content-Encoding`` and an ``ETag``.
"""

from __future__ import annotations

import gzip
import hashlib
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

from causal_web.viz.network import web_network_json
from causal_web.viz.view import ViewFilter

if TYPE_CHECKING:
    from causal_web.web.graph import CausalWeb

__all__ = ["EncodedDrawing", "web_drawing"]


@dataclass(frozen=True, slots=True)
class EncodedDrawing:
    """A drawing's body, its ETag, and its ``Content-Encoding`` (None: identity)."""

    body: bytes
    etag: str
    encoding: str | None


# Per web: the JSON bytes a drawing was made from (identity-checked), and its encodings.
_ENCODED: weakref.WeakKeyDictionary[
    CausalWeb, dict[ViewFilter, tuple[bytes, EncodedDrawing, EncodedDrawing | None]]
]
_ENCODED = weakref.WeakKeyDictionary()


def web_drawing(
    web: CausalWeb, filters: ViewFilter | None = None, *, gzipped: bool = False
) -> EncodedDrawing:
    """:func:`viz.network.web_network_json` with an ETag, gzipped (level 5) if asked."""
    filters = filters or ViewFilter()
    body = web_network_json(web, filters)
    cache = _ENCODED.setdefault(web, {})
    found = cache.get(filters)
    if found is None or found[0] is not body:
        digest = hashlib.sha256(body).hexdigest()[:32]
        found = (body, EncodedDrawing(body, f'"{digest}"', None), None)
        while len(cache) >= 8:
            del cache[next(iter(cache))]
        cache[filters] = found
    if not gzipped:
        return found[1]
    if found[2] is None:
        packed = gzip.compress(body, compresslevel=5, mtime=0)
        found = (found[0], found[1], EncodedDrawing(packed, found[1].etag[:-1] + '-gzip"', "gzip"))
        cache[filters] = found
    return found[2]
