"""Writing files the user will keep: atomically, beside the destination, never clobbering."""

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

    The bytes go to a temporary file in the destination's directory, are flushed to
    disk, then moved into place. Without ``force`` an existing file is never
    replaced, even one that appeared while we were writing.
    """
    path = Path(path)
    refuse_existing(path, force)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError(f"{path}: directory {directory} does not exist; create it first")
    fd, tmp_name = _temporary_beside(path, directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _move_into_place(Path(tmp_name), path, force)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)


def _temporary_beside(path: Path, directory: Path) -> tuple[int, str]:
    try:
        return tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=directory)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write in {directory}: {exc.strerror}") from exc


def _move_into_place(tmp: Path, path: Path, force: bool) -> None:
    try:
        if force:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails if the destination appeared meanwhile
    except FileExistsError as exc:
        raise OutputError(f"{path}: already exists; use --force to overwrite it") from exc
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from exc
