"""The command line: thin commands over library functions."""

from causal_web.cli.main import main

__all__ = ["main"]
