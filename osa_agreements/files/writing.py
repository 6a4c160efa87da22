"""Writing files the user will keep: atomically, beside the destination, never clobbering.

The bytes go to a hidden temporary file in the destination's directory, are
flushed to disk, then given the destination's name in one step. The destination
therefore holds either its old content or the complete new file, never part of
one. The temporary file is removed on any error, Ctrl-C or SIGTERM; only a
process killed outright (SIGKILL, power loss) can leave a hidden ``.NAME.*.part``
file behind, never a partial file under the destination's name.

A new file gets the mode an ordinary write gives (0666 less the umask), a replaced
file keeps its mode, and missing folders on the way are created (as ``mkdir -p``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from osa_agreements.errors import OutputError


def refuse_existing(path: Path, force: bool) -> None:
    """Raise OutputError, before any work, when ``path`` cannot be written.

    That is: it is a folder, it exists and ``force`` is not set, or a file stands
    where one of its folders would be created.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a directory; give a file name for the output")
    if path.exists() and not force:
        raise OutputError(f"{path}: already exists; use --force to overwrite it")
    refuse_file_as_folder(path.parent)


def refuse_file_as_folder(directory: Path) -> None:
    """Raise OutputError when ``directory``, or a folder above it, is an existing file."""
    for folder in (Path(directory), *Path(directory).parents):
        if folder.exists():
            if not folder.is_dir():
                raise OutputError(f"{folder}: is a file, not a folder; give a folder for the output")
            return


def new_file_mode() -> int:
    """Return the mode an ordinary write gives a new file: 0666 less the process's umask."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomically(path: Path, data: bytes, force: bool = False) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the whole new one.

    Without ``force`` an existing file is never replaced, even one that appeared
    while we were writing.
    """
    path = Path(path)
    refuse_existing(path, force)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        _write_through_temporary(path, directory, data, force)
    except FileExistsError as exc:
        raise OutputError(f"{path}: already exists; use --force to overwrite it") from exc
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from exc


def _write_through_temporary(path: Path, directory: Path, data: bytes, force: bool) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=directory)
    try:
        os.fchmod(fd, _mode_for(path))
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


def _mode_for(path: Path) -> int:
    """Return the mode of the file ``path`` replaces, or a new file's mode."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return new_file_mode()


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
