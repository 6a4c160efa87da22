"""Text as the checker compares it: folded, stripped of labels, cut into words and punctuation.

Only what cannot change the meaning of a clause is folded away: Unicode
compatibility forms (NFKC), quote and dash styles, the amount of whitespace and
line breaks, and paragraph labels ("6.", "(a)", "(iv)", "a)") at the start of a
paragraph or of a list item after ";" or ":". Letter case is kept; the
comparison decides where a capital is benign.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType

BARRIER = "\x00"
"""The key of the token put between text that a match must not span (parts, comments)."""

TERMINATORS = frozenset({".", ";", ":", "?", "!"})
"""Tokens after which a new sentence or list item starts."""

_FOLD = MappingProxyType(str.maketrans({
    **dict.fromkeys("\"“”„‟«»″〝〞＂", '"'),
    **dict.fromkeys("'‘’‚‛′`´＇", "'"),
    **dict.fromkeys("-‐‑‒–—―−⁃﹘﹣－", "-"),
    **dict.fromkeys("\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
                    "\u202f\u205f\u3000\t\n\r\v\f", " "),
}))
_DROPPED = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
_MARK = r"(?:\d{1,3}|[a-z]|[ivx]{1,6})"
_BRACKETED = rf"(?:\(\s*{_MARK}\s*\)|{_MARK}\))"
_LABEL = rf"(?:{_BRACKETED}|\d{{1,3}}(?:\.\d{{1,3}})*\.?|(?:[a-z]|[ivx]{{1,6}})\.)"
"""A paragraph label: "(a)", "(iv)", "a)", "6.", "6.1", "b." (a number needs no dot)."""
_LEADING_LABELS = re.compile(rf"^\s*(?:{_LABEL}\s+)+", re.IGNORECASE)
_ITEM_LABELS = re.compile(rf"(?<=[;:])\s*{_BRACKETED}(?=\s)", re.IGNORECASE)
_TOKEN = re.compile(r"\d+(?:[.,]\d+)+|\w+(?:'\w+)*|[^\w\s]")
_SPACED_TOKEN = re.compile(r"(\s*)(\d+(?:[.,]\d+)+|\w+(?:'\w+)*|[^\w\s])")


@dataclass(frozen=True)
class Token:
    """One word or punctuation mark: ``text`` folded, ``key`` also case-folded, offsets in the source."""

    key: str
    text: str
    start: int
    end: int
    spaced: bool


@dataclass(frozen=True)
class Stream:
    """The tokens of a run of text segments, as parallel tuples indexed by stream position.

    ``sources[p]`` is the index of the segment the token came from (-1 for a barrier);
    ``openers[p]`` says the token starts its segment or follows a sentence terminator.
    ``segments`` are the texts given, ``spans[i]`` the [first, last + 1) positions of
    segment ``i``, and ``barriers`` the positions of the barriers, followed by the length.
    """

    keys: tuple[str, ...]
    texts: tuple[str, ...]
    spaced: tuple[bool, ...]
    openers: tuple[bool, ...]
    sources: tuple[int, ...]
    segments: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    barriers: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.keys)

    def display(self, start: int, end: int) -> str:
        """Return the tokens in positions ``start`` to ``end`` (exclusive) as readable text."""
        return join_tokens(zip(self.texts[start:end], self.spaced[start:end]))

    def offsets(self, position: int) -> tuple[int, int]:
        """Return the [start, end) character offsets of the token at ``position`` in its segment's text."""
        source = self.sources[position]
        row = _rows(self.segments[source])[position - self.spans[source][0]]
        return row[2], row[3]


def normalise(text: str) -> tuple[str, tuple[int, ...] | None]:
    """Return ``text`` folded for comparison and the source offset of each of its characters.

    The offsets are None when every character kept its place (the usual case).
    """
    folded = text.translate(_FOLD)
    if folded.isascii():
        return folded, None
    pieces = [_fold_char(c) for c in folded]
    if all(len(piece) == 1 for piece in pieces):
        return "".join(pieces), None
    return "".join(pieces), tuple(i for i, piece in enumerate(pieces) for _ in piece)


def _fold_char(char: str) -> str:
    if char in _DROPPED:
        return ""
    return char if char.isascii() else unicodedata.normalize("NFKC", char).translate(_FOLD)


def strip_labels(text: str) -> str:
    """Return ``text`` with paragraph and item labels blanked out (offsets unchanged)."""
    text = _LEADING_LABELS.sub(_blank, text, count=1)
    return _ITEM_LABELS.sub(_blank, text) if ";" in text or ":" in text else text


def _blank(match: re.Match) -> str:
    return " " * len(match.group())


def tokenise(text: str, labels: bool = True) -> list[Token]:
    """Return the tokens of ``text``; paragraph labels are dropped unless ``labels`` is False."""
    return [Token(*row) for row in _rows(text, labels)]


@lru_cache(maxsize=4096)
def _rows(text: str, labels: bool = True) -> tuple[tuple[str, str, int, int, bool], ...]:
    """Return (key, text, start, end, spaced) for each token of ``text`` (remembered: offsets ask often)."""
    folded, offsets = normalise(text)
    matches = list(_TOKEN.finditer(strip_labels(folded) if labels else folded))
    spans = [m.span() for m in matches]
    words = ['"' if m.group() == "'" else m.group() for m in matches]
    spaced = [True, *(start > end for (start, _), (_, end) in zip(spans[1:], spans))] if spans else []
    if offsets is not None:
        spans = [(offsets[start], offsets[end - 1] + 1) for start, end in spans]
    return tuple((word.casefold(), word, start, end, space) for word, (start, end), space in zip(words, spans, spaced))


def build_stream(segments: Sequence[tuple[object, str]]) -> Stream:
    """Return the stream of ``segments`` ((group, text) pairs); a barrier stands wherever the group changes.

    No offsets are kept (see Stream.offsets): this runs over every paragraph of a draft.
    """
    keys: list[str] = []
    texts: list[str] = []
    spaced: list[bool] = []
    openers: list[bool] = []
    sources: list[int] = []
    spans, barriers = [], []
    group = object()
    findall = _SPACED_TOKEN.findall
    for index, (segment_group, text) in enumerate(segments):
        if segment_group != group and keys:
            barriers.append(len(keys))
            for column, value in ((keys, BARRIER), (texts, ""), (spaced, False), (openers, False), (sources, -1)):
                column.append(value)
        group = segment_group
        first = len(keys)
        found = findall(strip_labels(normalise(text)[0]))
        if found:
            words = ['"' if w == "'" else w for _, w in found]
            folded = [w.casefold() for w in words]
            keys += folded
            texts += words
            spaced.append(True)
            spaced += [space != "" for space, _ in found[1:]]
            openers.append(True)
            openers += [k in TERMINATORS for k in folded[:-1]]
            sources += [index] * len(words)
        spans.append((first, len(keys)))
    return Stream(tuple(keys), tuple(texts), tuple(spaced), tuple(openers), tuple(sources),
                  tuple(t for _, t in segments), tuple(spans), tuple(barriers) + (len(keys),))


def join_tokens(tokens) -> str:
    """Return (text, spaced) pairs as one string, a space wherever the source had whitespace."""
    return "".join((" " + text if spaced and i else text) for i, (text, spaced) in enumerate(tokens))
