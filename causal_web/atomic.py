"""Writes that a crash cannot leave half done: files and whole data folders.

* :func:`write_file_atomic` writes a temporary file in the target's own folder, flushes it to
  disk and renames it over the target, so a reader sees the old file or the new one.
* :func:`replace_folder` builds a new folder beside the target, lets the caller check it, and
  swaps it in. On Linux the swap is one ``renameat2(RENAME_EXCHANGE)`` call, so the target
  path always holds a complete folder. Elsewhere (or on a file system that refuses the
  exchange) the old folder is renamed aside, the new one renamed in and the old one removed;
  a crash between the two renames leaves the old data in the aside folder, and
  :func:`recover_folder` (run first by every :func:`replace_folder`) puts it back.

Files and folders get the permissions a plain ``open()`` or ``mkdir()`` would give under the
user's umask, not the private 0600/0700 of :mod:`tempfile`.

Test hook: when ``CAUSAL_WEB_TEST_SWAP_PAUSE`` holds a number of seconds, the swap sleeps that
long at its most delicate moment (between the two renames, or after the exchange), so a test
can kill the process there. ``CAUSAL_WEB_TEST_SWAP_FALLBACK=1`` makes it take the two-rename
path even where the exchange works. Neither is meant for anything but the test suite.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path

__all__ = [
    "ASIDE_MARK",
    "STAGING_MARK",
    "default_mode",
    "recover_folder",
    "replace_folder",
    "write_file_atomic",
]

STAGING_MARK = ".cw-staging-"
ASIDE_MARK = ".cw-aside-"
_PAUSE_ENV = "CAUSAL_WEB_TEST_SWAP_PAUSE"
_FALLBACK_ENV = "CAUSAL_WEB_TEST_SWAP_FALLBACK"
_RENAME_EXCHANGE = 2  # from <linux/fs.h>
_AT_FDCWD = -100


def _umask() -> int:
    # os.umask can only be read by setting it; put it straight back
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def default_mode(directory: bool = False) -> int:
    """The mode a new file (or folder) gets from ``open()`` (or ``mkdir()``) under the umask."""
    return (0o777 if directory else 0o666) & ~_umask()


def _fsync_dir(folder: Path) -> None:
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:  # some systems cannot open a folder for reading; the rename still stands
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def write_file_atomic(path: str | Path, data: str | bytes, mode: int | None = None) -> Path:
    """Write ``data`` to ``path`` so that a crash leaves either the old file or the new one.

    The mode is ``mode``, else the old file's, else the umask default. Returns the path.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if mode is None:
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = default_mode()
    handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data.encode("utf-8") if isinstance(data, str) else data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _fsync_dir(folder)
    return path


def _siblings(target: Path, mark: str) -> list[Path]:
    prefix = f".{target.name}{mark}"
    if not target.parent.is_dir():
        return []
    return sorted(
        (p for p in target.parent.iterdir() if p.name.startswith(prefix) and p.is_dir()),
        key=lambda p: p.stat().st_mtime,
    )


def recover_folder(target: str | Path) -> list[str]:
    """Tidy up after a replace that was killed; return what was done, one line per action.

    When the target is missing but an aside folder (the old data) exists, the newest aside
    folder is renamed back. Leftover staging and aside folders are then removed.
    """
    target = Path(target)
    actions = []
    asides = _siblings(target, ASIDE_MARK)
    if asides and not target.exists():
        asides[-1].rename(target)
        actions.append(f"restored {target} from {asides[-1].name}")
        asides = asides[:-1]
    for leftover in [*asides, *_siblings(target, STAGING_MARK)]:
        shutil.rmtree(leftover, ignore_errors=True)
        actions.append(f"removed {leftover.name}")
    if actions:
        _fsync_dir(target.parent)
    return actions


def _libc_renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step; False when this system or file system cannot."""
    if os.environ.get(_FALLBACK_ENV) == "1":
        return False
    renameat2 = _libc_renameat2()
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _test_pause() -> None:
    seconds = os.environ.get(_PAUSE_ENV)
    if seconds:
        time.sleep(float(seconds))


def _swap_in(staging: Path, target: Path) -> None:
    if not target.exists():
        staging.rename(target)
        return
    if _exchange(staging, target):
        # the target now holds the new folder and the staging path the old one
        _fsync_dir(target.parent)
        _test_pause()
        aside = staging.with_name(staging.name.replace(STAGING_MARK, ASIDE_MARK, 1))
        staging.rename(aside)
        shutil.rmtree(aside, ignore_errors=True)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{target.name}{ASIDE_MARK}", dir=target.parent))
    aside.rmdir()
    target.rename(aside)
    _test_pause()
    staging.rename(target)
    _fsync_dir(target.parent)
    shutil.rmtree(aside, ignore_errors=True)


def replace_folder(
    target: str | Path,
    files: Mapping[str, str | bytes],
    check: Callable[[Path], None] | None = None,
    replace: bool = True,
) -> Path:
    """Write ``files`` (name to content) as the folder ``target``, all or nothing.

    The files are written to a staging folder beside ``target``; ``check`` (if given) is
    called with that folder and raises to refuse it, in which case nothing changes. Then the
    staging folder is swapped in, replacing an existing ``target`` only when ``replace``.
    """
    target = Path(target).absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    recover_folder(target)
    if target.exists() and not replace:
        raise FileExistsError(errno.EEXIST, "folder already exists", str(target))
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGING_MARK}", dir=target.parent))
    try:
        os.chmod(staging, default_mode(directory=True))
        mode = default_mode()
        for name, content in files.items():
            path = staging / name
            with path.open("wb") as out:
                out.write(content.encode("utf-8") if isinstance(content, str) else content)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(path, mode)
        _fsync_dir(staging)
        if check is not None:
            check(staging)
        _swap_in(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return target
