"""Keeping the clause library: validate it, list and show its clauses, scaffold a new one.

The functions behind ``osa library validate | list | show | new``. Validation is
``library.read_library``'s: schema (with file, line and field), duplicate ids,
the mandatory clauses present and mandatory, placeholders the programme defines,
essential terms kept by every approved alternative, and histories that match
the versions.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from osa_agreements.errors import LibraryError
from osa_agreements.library.clauses import Clause, ClauseLibrary, default_library_dir, read_library
from osa_agreements.files.writing import write_atomically
from osa_agreements.files.json_schemas import load_schema

CLAUSE_ID = re.compile(load_schema("clause.schema.json")["properties"]["id"]["pattern"])
GUIDELINE_SECTIONS = tuple(load_schema("clause.schema.json")["properties"]["basis"]["enum"])
SKELETON_WORDING = "[Wording of the clause"

_SKELETON = """\
# A clause of the OSA Exchange of Notes. Every field is defined in schemas/clause.schema.json.
id: {id}
title: {title}
version: 1.0.0
# True only for the five provisions of Guidelines 3(3); see docs/maintainers.md.
mandatory: false
# The section of the Implementation Guidelines for OSA this clause implements.
basis: {basis}
# The wording. Programme values go in placeholders, e.g. {{{{ recipient.government }}}};
# `osa library validate` lists the placeholders there are.
text: >-
  {skeleton} {id}: write it here. Programme values go in placeholders, e.g. the
  {{{{ recipient.government }}}}.]
# Sub-paragraphs (a), (b) ... are optional:
# items:
#   - first sub-paragraph;
#   - second sub-paragraph.
# Words every wording of the clause must keep (checked in each approved alternative):
# essential_terms:
#   - shall
history:
  - version: 1.0.0
    date: {date}
    reason: First version.
"""


@dataclass(frozen=True)
class LibraryValidation:
    """The result of validating a library folder: the library as far as it loads, and its problems."""

    library: ClauseLibrary
    problems: tuple[str, ...]

    def raise_for_problems(self) -> None:
        """Raise LibraryError listing every problem, when there is any."""
        if self.problems:
            raise LibraryError(f"{self.library.path}: the clause library has {len(self.problems)} problem(s)",
                               self.problems)


def library_folder(directory: Path | None) -> Path:
    """Return ``directory`` as a Path, or the shipped library folder for None."""
    return Path(directory) if directory is not None else default_library_dir()


def validate_library(directory: Path | None = None) -> LibraryValidation:
    """Return the library in ``directory`` (default: the shipped one) with one line per problem."""
    from osa_agreements.checking.overrides import override_problems

    library, problems = read_library(library_folder(directory))
    if not problems:
        from osa_agreements.checking.reading import reading_problems

        problems = reading_problems(library)
    return LibraryValidation(library, tuple(problems) + tuple(override_problems(library)))


def list_clauses(directory: Path | None = None) -> ClauseLibrary:
    """Return the library in ``directory``, valid or not, for listing; raise LibraryError if it cannot load."""
    library, _ = read_library(library_folder(directory))
    return library


def find_clause(directory: Path | None, clause_id: str) -> Clause:
    """Return clause ``clause_id`` of the library; raise LibraryError naming the closest ids."""
    library = list_clauses(directory)
    if clause_id in library.clauses:
        return library[clause_id]
    close = difflib.get_close_matches(clause_id, list(library.clauses), n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise LibraryError(f"{library.path}: no clause {clause_id}; {hint}(osa library list shows every clause)")


def new_clause(
    clause_id: str,
    basis: str,
    title: str | None = None,
    directory: Path | None = None,
    today: dt.date | None = None,
) -> Path:
    """Write the skeleton of clause ``clause_id`` to ``clauses/ID.yaml`` of the library; return its path.

    The skeleton validates as it is. An id the library already has, or an existing
    file, is refused.
    """
    title = " ".join((title or clause_id.replace("-", " ").capitalize()).split())
    _check_new_clause(clause_id, basis, title)
    library = list_clauses(directory)
    if clause_id in library.clauses:
        raise LibraryError(f"{library[clause_id].path}: clause {clause_id} exists already; edit it "
                           "(raise its version and add a history entry) instead of making a new one")
    path = library.path / "clauses" / f"{clause_id}.yaml"
    text = _SKELETON.format(id=clause_id, title=json.dumps(title, ensure_ascii=False), basis=json.dumps(basis),
                            skeleton=SKELETON_WORDING, date=(today or dt.date.today()).isoformat())
    write_atomically(path, text.encode("utf-8"))
    return path


def _check_new_clause(clause_id: str, basis: str, title: str) -> None:
    if not CLAUSE_ID.match(clause_id) or len(clause_id) > 64:
        raise LibraryError(f"{clause_id}: not a clause id; write lower-case words joined by hyphens, "
                           "e.g. export-controls")
    if basis not in GUIDELINE_SECTIONS:
        raise LibraryError(f"{basis}: not a section of the Implementation Guidelines for OSA; "
                           f"use one of: {', '.join(GUIDELINE_SECTIONS)}")
    if not 3 <= len(title) <= 120:
        raise LibraryError(f"{title}: a clause title has 3 to 120 characters; give a shorter --title")
