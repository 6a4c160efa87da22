"""Plain records that a .docx becomes: what the checker works on.

Nothing here holds an XML element; downstream code never reaches back into XML.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Revision:
    """One tracked change inside a paragraph.

    ``kind`` is ``"insert"`` or ``"delete"`` (moves count as an insert at the
    destination and a delete at the source). ``start`` is the offset in the
    paragraph's ``accepted`` text where inserted text begins, or where deleted
    text stood; ``text`` is the inserted or deleted text.
    """

    kind: str
    author: str | None
    date: str | None
    text: str
    start: int

    def to_dict(self) -> dict:
        return {"kind": self.kind, "author": self.author, "date": self.date, "text": self.text}


@dataclass(frozen=True)
class Block:
    """One paragraph of agreement text, as Word displays it with every change accepted.

    ``part`` names the package part (``document``, ``header1``, ``footnotes`` ...);
    ``index`` is the 1-based paragraph index within that part in the accepted view;
    ``container`` says where in the part it stands (``body``, ``table``, ``textbox``,
    ``footnote`` ...). ``original`` is the same paragraph before the revisions,
    ``hidden`` the hidden text it carries (not agreement text). ``number`` is the
    displayed list label (``"6."``, ``"(a)"``) or None when the paragraph is not
    numbered. ``clause_tag`` is the tag of an enclosing content control whose tag
    starts with ``osa-clause:``, a hint left by ``osa draft``.
    """

    part: str
    index: int
    accepted: str
    original: str = ""
    hidden: str = ""
    number: str | None = None
    container: str = "body"
    clause_tag: str | None = None
    revisions: tuple[Revision, ...] = ()


@dataclass(frozen=True)
class Comment:
    """A Word comment: not agreement text, kept to explain where a clause went and listed for the reviewer.

    ``part`` and ``paragraph`` (``Block.part``, ``Block.index``) are where it is anchored;
    None when the document does not say.
    """

    id: str
    author: str | None
    date: str | None
    text: str
    part: str | None = None
    paragraph: int | None = None


@dataclass(frozen=True)
class DocumentText:
    """Everything the checker needs to know about one received .docx."""

    blocks: tuple[Block, ...]
    comments: tuple[Comment, ...] = ()
    properties: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    sha256: str | None = None
