"""What a check finds, as frozen records with ``to_dict()`` (shape fixed by check-report.schema.json)."""

from __future__ import annotations

from dataclasses import dataclass

from osa_agreements.ooxml.records import Revision

PRESENT, MODIFIED, MISSING = "present", "modified", "missing"


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
