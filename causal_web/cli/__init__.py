"""The command line: thin commands over library functions.

``main`` (in :mod:`causal_web.cli.main`) is the ``causal-web`` entry point. It is loaded on first
use, not here, so that the commands defined beside the API and the viz (which import
:mod:`causal_web.cli.support`) can be imported on their own without an import circle.
"""

from __future__ import annotations

from typing import Any

__all__ = ["main"]


def __getattr__(name: str) -> Any:
    if name == "main":
        from causal_web.cli.main import main

        return main
    raise AttributeError(f"module 'causal_web.cli' has no attribute {name!r}")
