"""The on-disk index: data folders loaded once, served many times without re-reading YAML.

:func:`build_index` writes it, :func:`open_index` opens it, :func:`content_hash` tells whether
it still matches its folders (:func:`check_fresh`). See docs/deployment.md, "On-disk index".
"""

from __future__ import annotations

from causal_web.index.build import Progress, build_index
from causal_web.index.hashing import content_hash, data_files
from causal_web.index.layout import FORMAT_VERSION, IndexFormatError, StaleIndexError, read_manifest
from causal_web.index.open import check_fresh, open_index

__all__ = [
    "FORMAT_VERSION",
    "IndexFormatError",
    "Progress",
    "StaleIndexError",
    "build_index",
    "check_fresh",
    "content_hash",
    "data_files",
    "open_index",
    "read_manifest",
]
