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

from osa_agreements.checking.text import normalise

_VALUE = re.compile(r"\{\{.*?\}\}")
_CONTROL = re.compile(r"^\s*\{%.*%\}\s*$")
_SLOT = r"(?:[^.;:!?]|\.(?=\s+(?-i:[A-Z])|\s*$)){1,200}?"
"""A programme value: words without a sentence's end (a full stop only after an initial or an abbreviation)."""
LITERAL_LENGTH = 80
"""A line of the frame without values is never longer than this."""
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
        if _FORBIDDEN.search(text.lower()):  # only a short line without values may hold one ("No.")
            return len(text) <= LITERAL_LENGTH and _folded(text).casefold() in self.literals
        folded = _folded(text)
        if not folded or folded.casefold() in self.literals:
            return True
        return bool(self.anywhere.fullmatch(folded)) or after in self.values_after and bool(
            self.values_after[after].fullmatch(folded))

    @cached_property
    def literals(self) -> frozenset[str]:
        """Return the lines without values, as folded text."""
        return frozenset(_folded(line.text).casefold() for line in self.lines if not line.slots)

    @cached_property
    def anywhere(self) -> re.Pattern:
        """Return one pattern of the lines with fixed words and values, which count wherever they stand."""
        return _either(line for line in self.lines if line.slots and not line.value_only)

    @cached_property
    def values_after(self) -> dict[str | None, re.Pattern]:
        """Return, by the clause they follow, one pattern of the lines that are only a value."""
        after = {line.after for line in self.lines if line.value_only}
        return {clause: _either(line for line in self.lines if line.value_only and line.after == clause)
                for clause in after}


def _either(lines: Iterable[FrameLine]) -> re.Pattern:
    patterns = [line.pattern.pattern for line in lines]
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else re.compile(r"(?!)")


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
    return FrameLine(text, re.compile(rf"\s*{pattern}\s*\.?\s*", re.IGNORECASE), len(pieces) - 1, not literal,
                     after)


def _folded(text: str) -> str:
    """Return ``text`` with quote and dash styles and spacing folded; letter case is kept for the values."""
    return " ".join(normalise(text)[0].split())


def template_frame(template_paths: Iterable[Path]) -> Frame:
    """Return the frame of the Word templates at ``template_paths``."""
    from osa_agreements.ooxml.reader import read_main_text

    lines: list[FrameLine] = []
    for path in template_paths:
        blocks = read_main_text(path)
        lines += frame_of((b.accepted, b.clause_tag.split(":", 1)[1].split("@")[0] if b.clause_tag else None)
                          for b in blocks).lines
    return Frame(tuple(dict.fromkeys(lines)))
