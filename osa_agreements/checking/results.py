"""What a check finds, per clause, per draft and per run, as frozen records with ``to_dict()`` (shape fixed by check-report.schema.json)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from osa_agreements.ooxml.records import Revision

if TYPE_CHECKING:
    from osa_agreements.library.clauses import ClauseLibrary
    from osa_agreements.reports.review_copies import WrittenCopy

PRESENT, MODIFIED, MISSING = "present", "modified", "missing"
PASS, FAIL, ERROR = "pass", "fail", "error"


@dataclass(frozen=True)
class Named:
    """An element of an obligation a finding names ("counterpart"), and the draft's words for it (None: gone)."""

    element: str
    words: str | None

    def to_dict(self) -> dict:
        return {"element": self.element, "words": self.words}


@dataclass(frozen=True)
class Finding:
    """One observation about a clause; ``material`` when the obligation is weakened or changed.

    ``elements`` are the elements of the obligation the finding is about, with the
    draft's words for each (empty for findings on words, places and revisions).
    """

    kind: str
    message: str
    material: bool
    elements: tuple[Named, ...] = ()

    def to_dict(self) -> dict:
        return {"kind": self.kind, "message": self.message, "material": self.material,
                "elements": [e.to_dict() for e in self.elements]}


@dataclass(frozen=True)
class Location:
    """Where a clause's counterpart stands: part, 1-based paragraph range in the accepted text.

    ``begin`` is the offset of its first character in the first paragraph's accepted
    text, ``finish`` the offset just past its last in the last paragraph's (None:
    unknown, the paragraph's end); they place review comments and tracked changes on
    the words themselves and are not part of the report.
    """

    part: str
    paragraph: int
    last_paragraph: int
    number: str | None
    excerpt: str
    container: str = "body"
    begin: int = 0
    finish: int | None = None

    def to_dict(self) -> dict:
        return {
            "part": self.part,
            "paragraph": self.paragraph,
            "last_paragraph": self.last_paragraph,
            "number": self.number,
            "container": self.container,
            "excerpt": self.excerpt,
        }


@dataclass(frozen=True)
class DiffOp:
    """A run of words that is the same (``equal``), only in the draft (``insert``) or only in the library (``delete``)."""

    op: str
    text: str

    def to_dict(self) -> dict:
        return {"op": self.op, "text": self.text}


@dataclass(frozen=True)
class ClauseResult:
    """The verdict on one library clause in one draft."""

    id: str
    title: str
    mandatory: bool
    status: str
    material: bool
    findings: tuple[Finding, ...] = ()
    location: Location | None = None
    diff: tuple[DiffOp, ...] = ()
    variant: str | None = None
    similarity: float = 0.0
    revisions: tuple[Revision, ...] = ()

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "mandatory": self.mandatory,
            "status": self.status,
            "material": self.material,
            "variant": self.variant,
            "similarity": round(self.similarity, 3),
            "findings": [f.to_dict() for f in self.findings],
            "location": self.location.to_dict() if self.location else None,
            "diff": [d.to_dict() for d in self.diff],
            "revisions": [r.to_dict() for r in self.revisions],
        }


@dataclass(frozen=True)
class AddedText:
    """Agreement text that belongs to no library clause: where it stands, who inserted it, what it overrides.

    ``location.excerpt`` quotes the added sentences; ``authors`` are those of the
    tracked insertions that hold it (empty when it was typed without tracking);
    ``overrides`` the ids of the mandatory clauses it takes away from.
    """

    location: Location
    authors: tuple[str, ...] = ()
    overrides: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"location": self.location.to_dict(), "authors": list(self.authors),
                "overrides": list(self.overrides)}


@dataclass(frozen=True)
class OverrideFinding:
    """A sentence that takes away from a mandatory clause: which clause, how, the sentence and where it stands.

    ``kind`` is ``pointer`` (an overriding form pointing at the clause),
    ``weaker-statement`` (its action stated with less force) or ``definition``
    (a term it depends on defined or narrowed).
    """

    clause: str
    kind: str
    reason: str
    sentence: str
    location: Location

    def to_dict(self) -> dict:
        return {"clause": self.clause, "kind": self.kind, "reason": self.reason, "sentence": self.sentence,
                "location": self.location.to_dict()}


@dataclass(frozen=True)
class DraftComment:
    """A comment the counterpart left: never agreement text. ``clause`` is the clause its paragraph holds."""

    author: str | None
    date: str | None
    text: str
    part: str | None
    paragraph: int | None
    number: str | None
    clause: str | None

    def to_dict(self) -> dict:
        return {"author": self.author, "date": self.date, "text": self.text, "part": self.part,
                "paragraph": self.paragraph, "number": self.number, "clause": self.clause}


@dataclass(frozen=True)
class AgreementReview:
    """The whole agreement judged: one result per clause, and what stands outside the clauses.

    ``findings`` are about the agreement, not one clause (a signing date that
    disagrees, a clause tag the library does not know).
    """

    clauses: tuple[ClauseResult, ...]
    added: tuple[AddedText, ...] = ()
    overrides: tuple[OverrideFinding, ...] = ()
    comments: tuple[DraftComment, ...] = ()
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class NotChecked:
    """A document found in a folder that is not a .docx, so not checked: its path and what to do."""

    path: str
    advice: str

    def to_dict(self) -> dict:
        return {"path": self.path, "advice": self.advice}


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


def exit_status(reports: tuple[DocumentReport, ...]) -> int:
    """Return 0 when every draft passes, 1 when any fails, 2 when any could not be read."""
    if any(r.verdict == ERROR for r in reports):
        return 2
    return 1 if any(r.verdict == FAIL for r in reports) else 0


@dataclass(frozen=True)
class CheckRun:
    """A whole check: the library used, one report per draft, what was not checked, the review copies written."""

    library: ClauseLibrary
    reports: tuple[DocumentReport, ...]
    not_checked: tuple[NotChecked, ...] = ()
    copies: tuple[WrittenCopy, ...] = ()

    @property
    def exit_status(self) -> int:
        """Return 0 when every draft passes, 1 when any fails, 2 when any could not be read."""
        return exit_status(self.reports)
