"""The front door: one function per thing the toolkit does, each returning typed results.

``from osa_agreements import draft, check, compare, load_library, load_programme, OsaError``.
Every ``osa`` command is one of these calls; options are keyword-only. Every
expected failure raises an ``OsaError`` (its ``exit_code`` is the command's exit
status). The modules behind are imported when called, so that importing the
package costs nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

if TYPE_CHECKING:
    from osa_agreements.checking.results import CheckRun, DocumentReport
    from osa_agreements.comparing.results import Comparison
    from osa_agreements.drafting.notes import DraftedNote
    from osa_agreements.library.clauses import ClauseLibrary
    from osa_agreements.ooxml.package import Limits
    from osa_agreements.programme import Programme

PathLike = str | Path


def load_library(directory: PathLike | None = None) -> ClauseLibrary:
    """Return the clause library in ``directory`` (None: the shipped one), validated; raise LibraryError."""
    from osa_agreements.library.clauses import load_library as load

    return load(Path(directory) if directory is not None else None)


def load_programme(path: PathLike) -> Programme:
    """Return the programme described in the YAML file ``path``, validated; raise ProgrammeError."""
    from osa_agreements.programme import load_programme as load

    return load(Path(path))


def draft(
    programmes: PathLike | Iterable[PathLike],
    *,
    templates: Iterable[str] = (),
    output: PathLike | None = None,
    out_dir: PathLike | None = None,
    force: bool = False,
    library: PathLike | None = None,
    templates_dir: PathLike | None = None,
) -> tuple[DraftedNote, ...]:
    """Draft the Word Notes of each programme file; return what was written, one DraftedNote per file.

    ``templates``: names from the catalogue (default: every template). ``output``: the
    file, for one programme and one template; else ``out_dir`` (default: the current
    folder) receives PROGRAMME-TEMPLATE.docx. Nothing is written unless every Note
    renders and holds every mandatory clause; an existing file is kept unless ``force``.
    """
    from osa_agreements.drafting.notes import draft as draft_notes

    return draft_notes(_paths(programmes), tuple(templates), _path(output), _path(out_dir), force,
                       _path(library), _path(templates_dir))


def check(
    drafts: PathLike | Iterable[PathLike],
    *,
    library: PathLike | None = None,
    programme: PathLike | None = None,
    jobs: int = 1,
    limits: Limits | None = None,
    annotate: PathLike | None = None,
    restore: PathLike | None = None,
    author: str | None = None,
    initials: str | None = None,
    force: bool = False,
    on_start: Callable[[int], None] | None = None,
    on_done: Callable[[DocumentReport], None] | None = None,
) -> CheckRun:
    """Check every draft (files, or folders searched for .docx) against the clause library; return the CheckRun.

    ``programme``: the placeholders must hold its values (else any value consistent
    across the draft). ``annotate``/``restore``: write the copies of each draft that
    does not pass (one draft: the file; several: a folder); their outputs are
    refused, if they cannot be written, before any draft is read. ``on_start`` is told
    how many drafts were found, ``on_done`` of each report as it is made.
    """
    from osa_agreements.checking.batch import check_drafts, find_drafts, missing_paths, not_checked
    from osa_agreements.checking.engine import prepare
    from osa_agreements.checking.results import CheckRun

    clauses = load_library(library)
    values = load_programme(programme).values() if programme is not None else None
    paths = _paths(drafts)
    found, skipped = find_drafts(paths), not_checked(paths)
    missing_paths(found, paths, skipped)
    plan = _review_plan(found, annotate, restore, author, initials, force)
    if on_start is not None:
        on_start(len(found))
    checked = check_drafts(found, prepare(clauses, values), jobs, on_done, limits, plan)
    return CheckRun(clauses, tuple(report for report, _ in checked), skipped,
                    tuple(copy for _, copies in checked for copy in copies))


def compare(
    sent: PathLike,
    received: PathLike,
    *,
    redline: PathLike,
    author: str | None = None,
    force: bool = False,
    library: PathLike | None = None,
    limits: Limits | None = None,
) -> Comparison:
    """Write ``redline``: RECEIVED with every difference from SENT as a tracked change; return what changed.

    Untracked differences are attributed to ``author`` (None: "Counterpart"); the
    summary names the library clause each change falls in.
    """
    from osa_agreements.comparing.comparison import DEFAULT_AUTHOR, compare as compare_drafts

    return compare_drafts(Path(sent), Path(received), Path(redline), author or DEFAULT_AUTHOR, force,
                          _path(library), limits)


def limits_from(settings: Iterable[str]) -> Limits:
    """Return the Limits that ``NAME=VALUE`` settings make (``osa check --limit``); raise ValueError if one is wrong."""
    from osa_agreements.ooxml.package import limits_from as parse

    return parse(settings)


def _review_plan(drafts, annotate, restore, author, initials, force):
    """Return where the review copies of ``drafts`` go, or None when none is asked for."""
    if annotate is None and restore is None:
        return None
    from osa_agreements.reports.review_copies import ReviewRequest, plan_review

    return plan_review(ReviewRequest(_path(annotate), _path(restore), author, initials, force), drafts)


def _paths(given: PathLike | Iterable[PathLike]) -> list[Path]:
    return [Path(given)] if isinstance(given, (str, Path)) else [Path(p) for p in given]


def _path(given: PathLike | None) -> Path | None:
    return None if given is None else Path(given)
