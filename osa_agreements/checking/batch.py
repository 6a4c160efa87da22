"""Checking drafts: find the files, read each, compare with the library, collect the verdicts.

What a check returns is in ``checking.results``; what is made of it (text, JSON,
review copies) is in ``reports``. Nothing here renders a report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Protocol

from osa_agreements.checking.results import (ERROR, FAIL, MISSING, PASS, PRESENT, AgreementReview, ClauseResult,
                                             DocumentReport, NotChecked)
from osa_agreements.errors import InputFileError, OsaError
from osa_agreements.ooxml.records import DocumentText

if TYPE_CHECKING:
    from osa_agreements.checking.engine import Checker
    from osa_agreements.library.clauses import ClauseLibrary
    from osa_agreements.ooxml.package import Limits, Package

DRAFT_SUFFIXES = (".docx", ".docm")
CONVERTIBLE_SUFFIXES = (".doc", ".dot", ".dotx", ".dotm", ".odt", ".ott", ".fodt", ".rtf", ".wpd")
"""Word-processing files in a folder that are not checked, but that LibreOffice converts to .docx."""
UNCONVERTIBLE_SUFFIXES = (".pdf", ".pages", ".xps")
CONVERT_COMMAND = "soffice --headless --convert-to docx FILE"


def not_checked(paths: Iterable[Path]) -> tuple[NotChecked, ...]:
    """Return the documents in the folders among ``paths`` that are not .docx, each with what to do."""
    import shlex

    found = []
    for folder in (Path(p) for p in paths if Path(p).is_dir()):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("~$")):
            suffix = path.suffix.lower()
            if suffix in CONVERTIBLE_SUFFIXES:
                found.append(NotChecked(str(path), "not a .docx; convert it with: soffice --headless "
                                                   f"--convert-to docx {shlex.quote(str(path))}"))
            elif suffix in UNCONVERTIBLE_SUFFIXES:
                found.append(NotChecked(str(path), f"a {suffix[1:].upper()} file, which cannot be checked; "
                                                   "ask for the .docx"))
    return tuple(dict.fromkeys(found))


def find_drafts(paths: Iterable[Path]) -> list[Path]:
    """Return the drafts to check: files as given, folders searched recursively for .docx/.docm."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if _is_draft(p))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def _is_draft(path: Path) -> bool:
    # Word leaves "~$name.docx" owner files beside open documents; they are not drafts.
    return path.suffix.lower() in DRAFT_SUFFIXES and path.is_file() and not path.name.startswith("~$")


class WhileOpen(Protocol):
    """What to do with a checked draft while its package is open (the review copies), returning what it wrote."""

    def __call__(self, report: DocumentReport, package: Package, document: DocumentText,
                 checker: Checker) -> tuple: ...


Checked = tuple[DocumentReport, tuple]
"""A draft's report and what ``WhileOpen`` wrote of it (empty without one)."""


def check_drafts(
    paths: list[Path],
    checker: Checker,
    jobs: int = 1,
    on_done: Callable[[DocumentReport], None] | None = None,
    limits: Limits | None = None,
    while_open: WhileOpen | None = None,
) -> tuple[Checked, ...]:
    """Return each draft's report, with what ``while_open`` wrote of it, in the order given.

    ``jobs`` > 1 checks in parallel: ``checker`` is prepared once and handed to each
    worker process, and the drafts are handed out in small batches. ``on_done`` is
    told of each report as it arrives, in order. ``limits`` bound what reading one
    draft may cost (default: ``Limits()``). ``while_open`` (picklable, so that it
    reaches the workers) is given each draft's package, opened once for the check.
    """
    task = _Task(checker, limits, while_open)
    if jobs <= 1 or len(paths) <= 1:
        return tuple(_notify(task(p), on_done) for p in paths)
    from concurrent.futures import ProcessPoolExecutor

    jobs = min(jobs, len(paths))
    chunk = max(1, min(8, len(paths) // (4 * jobs)))
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(task,)) as pool:
        return tuple(_notify(r, on_done) for r in pool.map(_check_in_worker, paths, chunksize=chunk))


@dataclass(frozen=True)
class _Task:
    """Checking one draft: what every worker does."""

    checker: Checker
    limits: Limits | None = None
    while_open: WhileOpen | None = None

    def __call__(self, path: Path) -> Checked:
        return check_opened(path, self.checker, self.limits, self.while_open)


_worker_task: _Task | None = None


def _start_worker(task: _Task) -> None:
    global _worker_task
    _worker_task = task


def _check_in_worker(path: Path) -> Checked:
    return _worker_task(path)


def _notify(checked: Checked, on_done) -> Checked:
    if on_done is not None:
        on_done(checked[0])
    return checked


def check_draft(path: Path, library: ClauseLibrary, values: dict[str, str] | None = None) -> DocumentReport:
    """Return the report on one draft; an unreadable file gives verdict ``error``, never an exception."""
    from osa_agreements.checking.engine import prepare

    return check_opened(path, prepare(library, values))[0]


def check_opened(path: Path, checker: Checker, limits: Limits | None = None,
                 while_open: WhileOpen | None = None) -> Checked:
    """Return the report on one draft with a prepared Checker, and what ``while_open`` wrote of it."""
    from osa_agreements.ooxml.package import Limits, open_package
    from osa_agreements.ooxml.reader import read_document

    library = checker.library
    try:
        package = open_package(Path(path), limits or Limits())
        document = read_document(package)
    except OsaError as exc:
        return DocumentReport(str(path), None, ERROR, library_version=library.version, error=exc.message), ()
    review = checker.review(document)
    results = applicable(review.clauses, library)
    report = DocumentReport(
        path=str(path),
        sha256=document.sha256,
        verdict=verdict(results, review),
        clauses=results,
        library_version=library.version,
        draft_library_version=document.properties.get("osa-library-version"),
        warnings=_warnings(document, library),
        added=review.added,
        overrides=review.overrides,
        comments=review.comments,
        findings=review.findings,
    )
    return report, (() if while_open is None else while_open(report, package, document, checker))


def applicable(results: tuple[ClauseResult, ...], library: ClauseLibrary) -> tuple[ClauseResult, ...]:
    """Return the results without the missing clauses that do not belong in this kind of Note (see note_kind).

    A clause only for programmes with facilities (``when: facilities``) is left out
    when missing: most programmes have none, and such a clause is never mandatory.
    """
    from osa_agreements.checking.engine import note_kind

    kind = note_kind((r.id for r in results if r.status != MISSING), library)
    return tuple(r for r in results if r.status != MISSING
                 or (kind in library[r.id].documents and library[r.id].when is None))


def verdict(results: tuple[ClauseResult, ...], review: AgreementReview | None = None) -> str:
    """Return ``pass`` only when the agreement says what the library says, else ``fail``.

    It fails when a clause is not present as the library has it (modified or
    missing), when a finding on the agreement is material, or when text was added.
    Comments are not agreement text: they never fail a draft.
    """
    changed = any(r.status != PRESENT for r in results)
    if review is not None:
        changed = changed or bool(review.added) or any(f.material for f in review.findings)
    return FAIL if changed else PASS


def _warnings(document: DocumentText, library: ClauseLibrary) -> tuple[str, ...]:
    drafted_with = document.properties.get("osa-library-version")
    mismatch = (
        (f"drafted with clause library {drafted_with}, checked against {library.version}; "
         "an earlier wording the library still approves is named, other changed clauses show as modified",)
        if drafted_with and drafted_with != library.version else ()
    )
    return tuple(document.warnings) + mismatch


def missing_paths(drafts: list[Path], given: Iterable[Path] = (), skipped: tuple[NotChecked, ...] = ()) -> None:
    """Raise InputFileError when nothing to check was found in the folders ``given``."""
    if not drafts:
        where = ", ".join(map(str, given)) or "the given folders"
        if skipped:
            raise InputFileError(f"{where}: no .docx drafts found, only {len(skipped)} other document(s) "
                                 f"({skipped[0].path}, ...); convert them with {CONVERT_COMMAND}",
                                 tuple(f"{s.path}: {s.advice}" for s in skipped))
        raise InputFileError(f"{where}: no .docx drafts found; give a .docx file or a folder of them")
