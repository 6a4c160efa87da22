"""A small on-disk memory of facts that are slow to establish: which data passed which schema.

A fact is kept under a digest of everything it depends on (the data, the schema,
the toolkit version), so it is never used for data that changed. It lives in
``$OSA_CACHE_DIR``, else ``$XDG_CACHE_HOME/osa-agreements``, else
``~/.cache/osa-agreements``; ``OSA_CACHE_DIR=`` (empty) turns it off. A cache that
cannot be read or written is simply not used.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from osa_agreements import __version__


def cache_dir() -> Path | None:
    """Return the cache folder, or None when caching is turned off."""
    chosen = os.environ.get("OSA_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "osa-agreements"


def digest(*parts: str | bytes) -> str:
    """Return the key of a fact that depends on ``parts`` and on the toolkit version."""
    hasher = hashlib.sha256(__version__.encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big") + data)
    return hasher.hexdigest()


def known(kind: str, key: str) -> bool:
    """Return True when the fact ``key`` of ``kind`` was remembered."""
    folder = cache_dir()
    return folder is not None and (folder / kind / key).is_file()


def remember(kind: str, key: str) -> None:
    """Remember the fact ``key`` of ``kind`` (an empty file named by it); failures are ignored."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        (folder / kind).mkdir(parents=True, exist_ok=True)
        (folder / kind / key).touch()
    except OSError:
        pass
