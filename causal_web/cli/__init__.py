"""The command line: thin commands over library functions.

The ``causal-web`` entry point is :func:`causal_web.cli.main.main`. This package module imports
nothing, so that the commands defined beside the API and the viz (which import
:mod:`causal_web.cli.support`) load on their own without an import circle.
"""
