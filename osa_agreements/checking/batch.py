"""Checking drafts: find the files, read each, compare with the library, collect the verdicts."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from osa_agreements.errors import InputFileError, OsaError
from osa_agreements.ooxml.records import DocumentText
from osa_agreements.checking.results import (MISSING, PRESENT, AddedText, AgreementReview, ClauseResult, DraftComment, Finding,
                      OverrideFinding)

if TYPE_CHECKING:
    from osa_agreements.library.clauses import ClauseLibrary
    from osa_agreements.ooxml.package import Limits
    from osa_agreements.reports.review_copies import ReviewPlan, ReviewRequest, WrittenCopy
    from osa_agreements.checking.engine import Checker

PASS, FAIL, ERROR = "pass", "fail", "error"
DRAFT_SUFFIXES = (".docx", ".docm")
CONVERTIBLE_SUFFIXES = (".doc", ".dot", ".dotx", ".dotm", ".odt", ".ott", ".fodt", ".rtf", ".wpd")
"""Word-processing files in a folder that are not checked, but that LibreOffice converts to .docx."""
UNCONVERTIBLE_SUFFIXES = (".pdf", ".pages", ".xps")
CONVERT_COMMAND = "soffice --headless --convert-to docx FILE"


@dataclass(frozen=True)
class NotChecked:
    """A document found in a folder that is not a .docx, so not checked: its path and what to do."""

    path: str
    advice: str

    def to_dict(self) -> dict:
        return {"path": self.path, "advice": self.advice}


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


@dataclass(frozen=True)
class DocumentReport:
    """The check of one draft: its verdict and one result per library clause."""

    path: str
    sha256: str | None
    verdict: str
    clauses: tuple[ClauseResult, ...] = ()
    library_version: str = ""
    draft_library_version: str | None = None
    warnings: tuple[str, ...] = ()
    error: str | None = None
    text: str | None = field(default=None, compare=False)
    """The report on this draft for people, when rendered during the check (see ``check_drafts``)."""
    copies: tuple[WrittenCopy, ...] = field(default=(), compare=False)
    """The review copies written of this draft (annotated, restored), when asked for (see ``ReviewPlan``)."""
    added: tuple[AddedText, ...] = ()
    overrides: tuple[OverrideFinding, ...] = ()
    comments: tuple[DraftComment, ...] = ()
    findings: tuple[Finding, ...] = ()
    """Findings on the agreement as a whole, not on one clause (see ``AgreementReview``)."""

    @property
    def headline(self) -> str:
        """Return the verdict and what the reviewer must read: ``FAIL: 2 material changes, 1 added paragraph``."""
        return headline(self)

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "verdict": self.verdict,
            "headline": self.headline,
            "library_version": self.library_version,
            "draft_library_version": self.draft_library_version,
            "warnings": list(self.warnings),
            "error": self.error,
            "clauses": [c.to_dict() for c in self.clauses],
            "findings": [f.to_dict() for f in self.findings],
            "overrides": [o.to_dict() for o in self.overrides],
            "added": [a.to_dict() for a in self.added],
            "comments": [c.to_dict() for c in self.comments],
        }


def headline(report: DocumentReport) -> str:
    """Return the verdict in capitals, then the counts of what the reviewer must read, when there is any."""
    if report.verdict == ERROR:
        return "ERROR"
    material = sum(r.material and r.status != PRESENT for r in report.clauses) + sum(
        f.material for f in report.findings)
    other = sum(not r.material and r.status != PRESENT for r in report.clauses)
    added = len({(a.location.part, a.location.paragraph) for a in report.added})
    counts = [(material, "material change"), (other, "other change"), (added, "added paragraph"),
              (len(report.comments), "comment")]
    shown = ", ".join(f"{n} {what}{'' if n == 1 else 's'}" for n, what in counts if n)
    return report.verdict.upper() + (f": {shown}" if shown else "")


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


def check_drafts(
    paths: list[Path],
    library: ClauseLibrary,
    values: dict[str, str] | None = None,
    jobs: int = 1,
    on_done: Callable[[DocumentReport], None] | None = None,
    render: Callable[[DocumentReport], str] | None = None,
    limits: Limits | None = None,
    plan: ReviewPlan | None = None,
) -> tuple[DocumentReport, ...]:
    """Return one report per draft, in the order given; ``jobs`` > 1 checks in parallel.

    The library's patterns and lexicon are prepared once, in each worker process
    when there are several, and the drafts are handed out in small batches.
    ``render`` (a module-level function, so that it reaches the workers) turns each
    report into its text for people where the report is made: ``DocumentReport.text``.
    ``limits`` bound what reading one draft may cost (default: ``Limits()``).
    ``plan`` writes the review copies of each draft that does not pass, where it is checked.
    """
    from osa_agreements.checking.engine import prepare

    task = _Task(prepare(library, values), render, limits, plan)
    if jobs <= 1 or len(paths) <= 1:
        return tuple(_notify(task(p), on_done) for p in paths)
    from concurrent.futures import ProcessPoolExecutor

    jobs = min(jobs, len(paths))
    chunk = max(1, min(8, len(paths) // (4 * jobs)))
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(task,)) as pool:
        return tuple(_notify(r, on_done) for r in pool.map(_check_in_worker, paths, chunksize=chunk))


@dataclass(frozen=True)
class _Task:
    """Checking one draft, and rendering its report when asked: what every worker does."""

    checker: Checker
    render: Callable[[DocumentReport], str] | None
    limits: Limits | None = None
    plan: ReviewPlan | None = None

    def __call__(self, path: Path) -> DocumentReport:
        report = check_prepared(path, self.checker, self.limits, self.plan)
        return report if self.render is None else replace(report, text=self.render(report))


_worker_task: _Task | None = None


def _start_worker(task: _Task) -> None:
    global _worker_task
    _worker_task = task


def _check_in_worker(path: Path) -> DocumentReport:
    return _worker_task(path)


def _notify(report: DocumentReport, on_done) -> DocumentReport:
    if on_done is not None:
        on_done(report)
    return report


def check_draft(path: Path, library: ClauseLibrary, values: dict[str, str] | None = None) -> DocumentReport:
    """Return the report on one draft; an unreadable file gives verdict ``error``, never an exception."""
    from osa_agreements.checking.engine import prepare

    return check_prepared(path, prepare(library, values))


def check_prepared(path: Path, checker: Checker, limits: Limits | None = None,
                   plan: ReviewPlan | None = None) -> DocumentReport:
    """Return the report on one draft with a prepared Checker (see ``check_draft``).

    With ``plan``, a draft that does not pass gets its copies, made from the package the check opened.
    """
    from osa_agreements.ooxml.package import Limits, open_package
    from osa_agreements.ooxml.reader import read_document

    library = checker.library
    try:
        package = open_package(Path(path), limits or Limits())
        document = read_document(package)
    except OsaError as exc:
        return DocumentReport(str(path), None, ERROR, library_version=library.version, error=exc.message)
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
    return report if plan is None else plan.copies_of(report, package, document, checker)


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


def exit_status(reports: tuple[DocumentReport, ...]) -> int:
    """Return 0 when every draft passes, 1 when any fails, 2 when any could not be read."""
    if any(r.verdict == ERROR for r in reports):
        return 2
    return 1 if any(r.verdict == FAIL for r in reports) else 0


def missing_paths(drafts: list[Path], given: Iterable[Path] = (), skipped: tuple[NotChecked, ...] = ()) -> None:
    """Raise InputFileError when nothing to check was found in the folders ``given``."""
    if not drafts:
        where = ", ".join(map(str, given)) or "the given folders"
        if skipped:
            raise InputFileError(f"{where}: no .docx drafts found, only {len(skipped)} other document(s) "
                                 f"({skipped[0].path}, ...); convert them with {CONVERT_COMMAND}",
                                 tuple(f"{s.path}: {s.advice}" for s in skipped))
        raise InputFileError(f"{where}: no .docx drafts found; give a .docx file or a folder of them")


@dataclass(frozen=True)
class CheckRun:
    """A whole ``osa check``: the library used and one report per draft."""

    library: ClauseLibrary
    reports: tuple[DocumentReport, ...]
    not_checked: tuple[NotChecked, ...] = ()

    @property
    def exit_status(self) -> int:
        return exit_status(self.reports)


def check(
    paths: Iterable[Path],
    library_dir: Path | None = None,
    programme_path: Path | None = None,
    jobs: int = 1,
    on_start: Callable[[int], None] | None = None,
    on_done: Callable[[DocumentReport], None] | None = None,
    render: Callable[[DocumentReport], str] | None = None,
    limits: Limits | None = None,
    review: ReviewRequest | None = None,
) -> CheckRun:
    """Check every draft in ``paths`` (files or folders) against the clause library.

    With ``programme_path`` the placeholders must hold that programme's values;
    without it they may hold any value consistent across the draft. ``render`` and
    ``limits``: see ``check_drafts``. ``review`` asks for annotated and restored
    copies of the drafts that do not pass; their outputs are checked before any draft is.
    """
    from osa_agreements.library.clauses import load_library
    from osa_agreements.programme import load_programme

    library = load_library(library_dir)
    values = load_programme(programme_path).values() if programme_path else None
    paths = list(paths)
    drafts = find_drafts(paths)
    skipped = not_checked(paths)
    missing_paths(drafts, paths, skipped)
    plan = None
    if review is not None and review.wanted:
        from osa_agreements.reports.review_copies import plan_review

        plan = plan_review(review, drafts)
    if on_start is not None:
        on_start(len(drafts))
    return CheckRun(library, check_drafts(drafts, library, values, jobs, on_done, render, limits, plan), skipped)
