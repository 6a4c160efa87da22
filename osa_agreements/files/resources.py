"""Where the data that ships with the toolkit lives: clause library, templates, schemas.

In an installed package the three folders sit inside ``osa_agreements/``; in a
source checkout they sit beside it, at the top of the repository.
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """Return the shipped folder ``name`` (``clause_library``, ``templates`` or ``schemas``)."""
    installed = _HERE / name
    if installed.is_dir():
        return installed
    return _HERE.parent / name


def schema_path(name: str) -> Path:
    """Return the path of the JSON Schema ``name`` (e.g. ``programme.schema.json``)."""
    return data_dir("schemas") / name
