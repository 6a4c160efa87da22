"""Writing files the user will keep: atomically, beside the destination, never clobbering.

The bytes go to a hidden temporary file in the destination's directory, are
flushed to disk, then given the destination's name in one step. The destination
therefore holds either its old content or the complete new file, never part of
one. The temporary file is removed on any error, Ctrl-C or SIGTERM; only a
process killed outright (SIGKILL, power loss) can leave a hidden ``.NAME.*.part``
file behind, never a partial file under the destination's name.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError


def refuse_existing(path: Path, force: bool) -> None:
    """Raise OutputError when ``path`` exists and ``force`` is not set."""
    if path.is_dir():
        raise OutputError(f"{path}: is a directory; give a file name for the output")
    if path.exists() and not force:
        raise OutputError(f"{path}: already exists; use --force to overwrite it")


def write_atomically(path: Path, data: bytes, force: bool = False) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the whole new one.

    Without ``force`` an existing file is never replaced, even one that appeared
    while we were writing.
    """
    path = Path(path)
    refuse_existing(path, force)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError(f"{path}: directory {directory} does not exist; create it first")
    try:
        _write_through_temporary(path, directory, data, force)
    except FileExistsError as exc:
        raise OutputError(f"{path}: already exists; use --force to overwrite it") from exc
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from exc


def _write_through_temporary(path: Path, directory: Path, data: bytes, force: bool) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(tmp_name, path)
        else:
            _link_new(tmp_name, path)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)


def _link_new(source: str, path: Path) -> None:
    """Give ``source`` the name ``path``, failing if ``path`` exists (even if it just appeared)."""
    try:
        os.link(source, path)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: check, then rename
        if path.exists():
            raise FileExistsError(path) from None
        os.replace(source, path)
