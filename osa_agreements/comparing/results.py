"""What a comparison finds, as frozen records with ``to_dict()`` (shape fixed by compare-report.schema.json)."""

from __future__ import annotations

from dataclasses import dataclass

REPLACED, INSERTED, DELETED = "replaced", "inserted", "deleted"
PARAGRAPH_INSERTED, PARAGRAPH_DELETED, MOVED = "paragraph-inserted", "paragraph-deleted", "paragraph-moved"
SPLIT, MERGED, SPACING = "paragraph-split", "paragraphs-merged", "spacing-changed"
CHANGE_KINDS = (REPLACED, INSERTED, DELETED, PARAGRAPH_INSERTED, PARAGRAPH_DELETED, MOVED, SPLIT, MERGED, SPACING)
RUNNING_TEXT_PARTS = ("document", "footnotes", "endnotes")
"""The parts whose changes are the agreement's running text; headers and footers are reported apart."""


@dataclass(frozen=True)
class ClauseTouched:
    """The library clause a change falls in, and how the checker judges it in RECEIVED (and in SENT)."""

    id: str
    title: str
    mandatory: bool
    status: str
    sent_status: str
    material: bool
    findings: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "mandatory": self.mandatory,
            "status": self.status,
            "sent_status": self.sent_status,
            "material": self.material,
            "findings": list(self.findings),
        }


@dataclass(frozen=True)
class Change:
    """One difference between SENT and RECEIVED, as the redline marks it.

    ``paragraph`` is the 1-based paragraph of ``part`` in RECEIVED's accepted text where the
    change stands (``number`` its list label), ``sent_paragraph`` the paragraph of SENT it
    comes from. ``before`` is SENT's text, ``after`` RECEIVED's (``¶`` a paragraph mark).
    ``tracked`` is True for a change RECEIVED already tracked, with its own author and date.
    ``clause`` is the library clause it falls in, None when it falls outside every clause.
    """

    kind: str
    part: str
    paragraph: int | None
    number: str | None
    sent_paragraph: int | None
    before: str
    after: str
    author: str | None
    date: str | None
    tracked: bool
    clause: ClauseTouched | None

    @property
    def in_running_text(self) -> bool:
        """Return whether the change is in the body or the notes, not a header or footer."""
        return self.part in RUNNING_TEXT_PARTS

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "part": self.part,
            "paragraph": self.paragraph,
            "number": self.number,
            "sent_paragraph": self.sent_paragraph,
            "before": self.before,
            "after": self.after,
            "author": self.author,
            "date": self.date,
            "tracked": self.tracked,
            "clause": self.clause.id if self.clause else None,
        }


@dataclass(frozen=True)
class Comparison:
    """A whole ``osa compare``: the files, every change, the clauses they touch, the redline written."""

    sent: str
    received: str
    redline: str
    author: str
    identical: bool
    changes: tuple[Change, ...]
    clauses: tuple[ClauseTouched, ...]
    library_version: str
    warnings: tuple[str, ...] = ()

    @property
    def exit_status(self) -> int:
        """Return 0 when the two texts are the same, 1 when they differ (as diff does)."""
        return 0 if self.identical else 1

    def to_dict(self) -> dict:
        return {
            "sent": self.sent,
            "received": self.received,
            "redline": self.redline,
            "author": self.author,
            "identical": self.identical,
            "library_version": self.library_version,
            "warnings": list(self.warnings),
            "changes": [change.to_dict() for change in self.changes],
            "clauses": [clause.to_dict() for clause in self.clauses],
        }
