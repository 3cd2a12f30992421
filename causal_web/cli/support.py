"""Pieces every ``causal-web`` command shares, wherever the command is defined (the library,
``api`` or ``viz``): the error guard and the --data option. Imports only click and the
library's exceptions, so the command line starts fast."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from causal_web.errors import CausalWebError, DataValidationError

__all__ = ["data_option", "guarded", "write_output"]


def _data_folders(several: bool) -> Callable:
    def callback(ctx: click.Context, param: click.Parameter, value: tuple[Path, ...]) -> Any:
        if not value:
            return None
        if len(value) == 1:
            return value[0]
        if not several:
            raise click.BadParameter("this command reads one data folder: give --data once.", ctx, param)
        return value  # several reviews side by side (causal_web.knowledge_base.load takes them)

    return callback


def data_option(func: Callable | None = None, *, several: bool = True) -> Callable:
    """``--data DIR``: the data folder a command reads (default: the bundled IOC dataset).

    Repeatable: with several folders the command gets a tuple of them and reads them as reviews
    side by side (``several=False`` refuses that, for commands that read one folder). One
    folder gives a ``Path`` and none ``None``, as before.
    """
    option = click.option(
        "--data",
        "data_dir",
        type=click.Path(file_okay=False, path_type=Path),
        multiple=True,
        callback=_data_folders(several),
        help=(
            "Data folder to read (default: the bundled IOC dataset); repeat it to read several "
            "reviews side by side."
            if several
            else "Data folder to read (default: the bundled IOC dataset)."
        ),
    )
    return option(func) if func is not None else option


def guarded(func: Callable) -> Callable:
    """Turn the library's errors into a message and an exit code, never a traceback:
    1 for data that is not valid, 2 for any other error, 3 for an unexpected one (a bug)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DataValidationError as error:
            click.echo(f"The data is not valid: {error.report.summary()}", err=True)
            sys.exit(1)
        except BrokenPipeError:
            # the reader (e.g. `head`) stopped early: not an error of ours
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            sys.exit(0)
        except (CausalWebError, OSError, ValueError) as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(2)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except Exception as error:
            # a bug of ours, not bad input: still no traceback unless asked for
            if os.environ.get("CAUSAL_WEB_DEBUG"):
                raise
            click.echo(
                f"Error: unexpected {type(error).__name__}: {error}. This is a bug in causal-web: "
                "please report it (set CAUSAL_WEB_DEBUG=1 to see the traceback).",
                err=True,
            )
            sys.exit(3)

    return wrapper


def write_output(text: str | bytes, output: Path | None) -> None:
    """Write to ``output`` through a temporary file and a rename, or to stdout."""
    if output is None:
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            click.echo(text, nl=not text.endswith("\n"))
        return
    from causal_web.atomic import write_file_atomic

    output = write_file_atomic(output.resolve(), text)
    click.echo(f"Wrote {output}", err=True)
