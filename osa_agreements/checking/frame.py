"""The Note's frame: the lines of the Word templates that are not clauses (date line, salutation, signature, Annex).

A paragraph of a received draft that belongs to no library clause is still
accounted for when it is one of these lines: its fixed words as the template has
them, each programme value (``{{ signing.place }}``) any short run of words. A line
that is only a value (a signatory's title, a product's description) counts only
where the template has it: after the same clause (the complimentary close). A
value never holds a modal verb, a negation or a sentence's end, so a sentence
added in its place is still added text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .text import normalise

_VALUE = re.compile(r"\{\{.*?\}\}")
_CONTROL = re.compile(r"^\s*\{%.*%\}\s*$")
_SLOT = r"[^.;:!?]{1,200}?"
_FORBIDDEN = re.compile(r"\b(?:shall|must|may|should|will|can|not|no|never|without|only|notwithstanding|unless|"
                        r"except)\b")


@dataclass(frozen=True)
class FrameLine:
    """One template line: its pattern, how many values it holds, whether it is only a value, the clause it follows."""

    text: str
    pattern: re.Pattern
    slots: int
    value_only: bool
    after: str | None


@dataclass(frozen=True)
class Frame:
    """The frame lines of every template."""

    lines: tuple[FrameLine, ...]

    def accounts(self, text: str, after: str | None) -> bool:
        """Return True when ``text`` is a frame line; ``after`` is the clause the paragraph follows."""
        folded = _folded(text)
        if not folded or folded in self.literals:
            return True
        if _FORBIDDEN.search(folded):
            return False
        return any(line.slots and line.pattern.fullmatch(folded) and (not line.value_only or line.after == after)
                   for line in self.lines)

    @cached_property
    def literals(self) -> frozenset[str]:
        """Return the lines without values, as folded text."""
        return frozenset(_folded(line.text) for line in self.lines if not line.slots)


def frame_of(paragraphs: Iterable[tuple[str, str | None]]) -> Frame:
    """Return the frame of template paragraphs given as (text, clause id or None for a line outside the clauses)."""
    lines, after = [], None
    for text, clause_id in paragraphs:
        if clause_id is not None:
            after = clause_id
        elif _folded(text) and not _CONTROL.match(text):
            lines.append(_line(text, after))
    return Frame(tuple(dict.fromkeys(lines)))


def _line(text: str, after: str | None) -> FrameLine:
    pieces = _VALUE.split(_folded(text))
    literal = "".join(pieces).strip()
    pattern = _SLOT.join(r"\s*".join(re.escape(word) for word in piece.split()) for piece in pieces)
    return FrameLine(text, re.compile(rf"\s*{pattern}\s*\.?\s*"), len(pieces) - 1, not literal, after)


def _folded(text: str) -> str:
    return " ".join(normalise(text)[0].split()).casefold()


def template_frame(template_paths: Iterable[Path]) -> Frame:
    """Return the frame of the Word templates at ``template_paths``."""
    from ..ooxml.reader import read_document

    lines: list[FrameLine] = []
    for path in template_paths:
        blocks = read_document(path).blocks
        lines += frame_of((b.accepted, b.clause_tag.split(":", 1)[1].split("@")[0] if b.clause_tag else None)
                          for b in blocks).lines
    return Frame(tuple(dict.fromkeys(lines)))
