"""Where the bundled data and ontology live, in a checkout and in an installed wheel."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["bundled_data_dir", "ontology_dir", "ontology_file", "shapes_file"]

_PACKAGE = Path(__file__).resolve().parent
# A wheel carries copies under causal_web/_bundled (see pyproject.toml); a checkout or an
# editable install reads the top-level folders of the design card directly.
_BUNDLED = _PACKAGE / "_bundled"
_CHECKOUT = _PACKAGE.parent


def _locate(*parts: str) -> Path:
    for root in (_BUNDLED, _CHECKOUT):
        path = root.joinpath(*parts)
        if path.exists():
            return path
    raise FileNotFoundError(f"{'/'.join(parts)} is not installed with causal_web; reinstall the package")


def bundled_data_dir() -> Path:
    """The curated IOC dataset that ships with causal-web."""
    return _locate("data", "cmocs")


def ontology_dir() -> Path:
    """The folder of the ontology and SHACL shapes: ``CAUSAL_WEB_ONTOLOGY_DIR`` when set (for a
    customised vocabulary, and for tests of a broken one), else the bundled folder."""
    override = os.environ.get("CAUSAL_WEB_ONTOLOGY_DIR")
    return Path(override) if override else _locate("ontology")


def ontology_file() -> Path:
    return ontology_dir() / "causal-web.ttl"


def shapes_file() -> Path:
    return ontology_dir() / "shapes.ttl"
