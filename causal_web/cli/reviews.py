"""``validate`` and ``lint`` over several data folders (``--data A --data B``)."""

from __future__ import annotations

import json
from pathlib import Path

import click

__all__ = ["lint_several", "validate_several"]


def validate_several(folders: tuple[Path, ...], as_json: bool, strict: bool, shacl: bool) -> int:
    """Validate each folder, then check that they load side by side (no record ID in two
    reviews, a valid mapping file). Returns the exit code: 0 when all is well, else 1."""
    from causal_web.errors import CausalWebError
    from causal_web.model.validate import validate_folder
    from causal_web.review_set import load_reviews

    results = []
    all_ok = True
    for folder in folders:
        report, counts = validate_folder(folder, shacl=shacl, strict=strict)
        if not strict:
            report.problems = [p for p in report.problems if p.rule != "coding.uncoded"]
        failed = not report.ok or (strict and bool(report.problems))
        all_ok = all_ok and not failed
        results.append({**report.to_dict(), "folder": str(folder), "records": counts})
        if as_json:
            continue
        if failed:
            click.echo(f"{folder}: {report.summary()}", err=True)
        else:
            click.echo(f"{folder}: valid ({counts['cmocs']} CMOCs, {counts['concepts']} concepts)")
    side_error = None
    if all_ok:
        try:
            load_reviews(folders)
        except CausalWebError as error:
            side_error = str(error)
    ok = all_ok and side_error is None
    if as_json:
        side = {"checked": all_ok, "error": side_error}
        click.echo(
            json.dumps({"ok": ok, "folders": results, "side_by_side": side}, indent=2, ensure_ascii=False)
        )
    elif side_error is not None:
        click.echo(f"The reviews do not load side by side: {side_error}", err=True)
    elif all_ok:
        click.echo(f"{len(folders)} reviews load side by side.")
    return 0 if ok else 1


def lint_several(folders: tuple[Path, ...], check: bool) -> int:
    """``lint`` each folder; with ``check``, 1 when any file is not canonical."""
    from causal_web.model.canonical import lint_folder

    any_changed = False
    for folder in folders:
        changed = lint_folder(folder, check=check)
        any_changed = any_changed or bool(changed)
        verb = "not canonical" if check else "rewritten"
        for name in changed:
            click.echo(f"{folder / name}: {verb}")
        if not changed:
            click.echo(f"{folder}: every file is canonical")
    return 1 if check and any_changed else 0
