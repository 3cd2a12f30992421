"""D7: `import --force` removed the old folder before renaming the new one in, left staging
folders behind after a kill, and made folders with mode 0700. The folder is now swapped in
atomically, leftovers are recovered or removed on the next run, and modes follow the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

from causal_web.atomic import (
    ASIDE_MARK,
    STAGING_MARK,
    recover_folder,
    replace_folder,
    write_file_atomic,
)

SHEET = FIXTURES / "sheets" / "review-extract.csv"


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_replace_swaps_in_the_new_files(tmp_path: Path):
    target = tmp_path / "data"
    replace_folder(target, {"a.yaml": "old: 1\n"})
    replace_folder(target, {"b.yaml": "new: 2\n"})
    assert _tree(target) == {"b.yaml": b"new: 2\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


@pytest.mark.parametrize("fallback", ["0", "1"])
def test_a_refusing_check_changes_nothing(tmp_path: Path, monkeypatch, fallback: str):
    monkeypatch.setenv("CAUSAL_WEB_TEST_SWAP_FALLBACK", fallback)
    target = tmp_path / "data"
    replace_folder(target, {"a.yaml": "old: 1\n"})

    def refuse(staging: Path) -> None:
        assert _tree(staging) == {"b.yaml": b"new: 2\n"}
        raise ValueError("no")

    with pytest.raises(ValueError):
        replace_folder(target, {"b.yaml": "new: 2\n"}, check=refuse)
    assert _tree(target) == {"a.yaml": b"old: 1\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_the_two_rename_fallback_swaps_too(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("CAUSAL_WEB_TEST_SWAP_FALLBACK", "1")
    target = tmp_path / "data"
    replace_folder(target, {"a.yaml": "old: 1\n"})
    replace_folder(target, {"b.yaml": "new: 2\n"})
    assert _tree(target) == {"b.yaml": b"new: 2\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_recovery_restores_the_old_folder_when_the_target_is_missing(tmp_path: Path):
    # what a kill between the two renames leaves: the old data aside, the new data staged
    aside = tmp_path / f".data{ASIDE_MARK}abc"
    aside.mkdir()
    (aside / "a.yaml").write_text("old: 1\n")
    staging = tmp_path / f".data{STAGING_MARK}def"
    staging.mkdir()
    (staging / "b.yaml").write_text("new: 2\n")
    actions = recover_folder(tmp_path / "data")
    assert _tree(tmp_path / "data") == {"a.yaml": b"old: 1\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
    assert len(actions) == 2


def test_recovery_removes_leftovers_when_the_target_is_whole(tmp_path: Path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "b.yaml").write_text("new: 2\n")
    for mark in (ASIDE_MARK, STAGING_MARK):
        (tmp_path / f".data{mark}x").mkdir()
    (tmp_path / ".other.cw-staging-x").mkdir()  # another folder's: not ours to touch
    recover_folder(tmp_path / "data")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.cw-staging-x", "data"]


def test_import_cleans_up_a_killed_run_before_it_starts(tmp_path: Path):
    out = tmp_path / "out"
    leftover = tmp_path / f".out{STAGING_MARK}killed"
    leftover.mkdir()
    (leftover / "cmocs.yaml").write_text("half", encoding="utf-8")
    result = run_cli("import", str(SHEET), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_import_force_replaces_and_leaves_nothing_else(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "stale.yaml").write_text("cmocs: []\n", encoding="utf-8")
    result = run_cli("import", str(SHEET), "-o", str(out), "--force")
    assert result.returncode == 0, result.stderr
    assert "stale.yaml" not in _tree(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_import_without_force_refuses_an_existing_folder(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    result = run_cli("import", str(SHEET), "-o", str(out))
    assert result.returncode == 2
    assert "already exists" in result.stderr


def test_folders_and_files_get_the_umask_modes(tmp_path: Path, umask_022):
    target = replace_folder(tmp_path / "data", {"a.yaml": "x: 1\n"})
    assert stat.S_IMODE(target.stat().st_mode) == 0o755
    assert stat.S_IMODE((target / "a.yaml").stat().st_mode) == 0o644
    written = write_file_atomic(tmp_path / "out.txt", "hello\n")
    assert stat.S_IMODE(written.stat().st_mode) == 0o644


def test_import_gives_the_umask_modes(tmp_path: Path):
    out = tmp_path / "out"
    result = run_cli("import", str(SHEET), "-o", str(out))  # the test runner's umask, 022 here
    assert result.returncode == 0, result.stderr
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~umask
    assert stat.S_IMODE((out / "cmocs.yaml").stat().st_mode) == 0o666 & ~umask


def test_an_atomic_write_keeps_an_existing_files_mode(tmp_path: Path):
    path = tmp_path / "keep.txt"
    path.write_text("old\n")
    path.chmod(0o600)
    write_file_atomic(path, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_export_lint_and_figure_write_by_rename(tmp_path: Path, monkeypatch):
    # every file the CLI writes arrives by os.replace from a temporary file beside it (the
    # atomic helper); record the renames in-process
    import shutil

    from click.testing import CliRunner

    from causal_web.cli.main import main

    renames = []
    real = os.replace

    def recording(src, dst):
        renames.append((Path(src).parent == Path(dst).parent, Path(dst).name))
        return real(src, dst)

    monkeypatch.setattr(os, "replace", recording)
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "good", folder)
    (folder / "cmocs.yaml").write_text((folder / "cmocs.yaml").read_text() + "\n\n")  # not canonical
    runner = CliRunner()
    for args in (
        ["export", "--data", str(folder), "--format", "csv", "-o", str(tmp_path / "web.csv")],
        ["lint", "--data", str(folder)],
        ["render", "--data", str(folder), "-o", str(tmp_path / "web.html")],
        ["figure", "--data", str(folder), "-o", str(tmp_path / "fig"), "--format", "svg"],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
    assert renames == [(True, "web.csv"), (True, "cmocs.yaml"), (True, "web.html"), (True, "fig.svg")]
    assert not [p for p in tmp_path.rglob(".*.tmp")]
