"""Clause wordings as sequences of terms: the library side of every comparison."""

from __future__ import annotations

from collections import Counter
from itertools import product
from dataclasses import dataclass
from functools import cached_property

from osa_agreements.library.clauses import PLACEHOLDER, Clause, Wording
from osa_agreements.programme import PLACEHOLDER_CHOICES
from osa_agreements.checking.text import BARRIER, TERMINATORS, tokenise

SLOT_KEY = BARRIER + "slot"
SHINGLE = 3
"""Words in a row that make a shingle, the unit of the search for candidate regions."""


@dataclass(frozen=True, slots=True)
class Term:
    """One word or punctuation mark of a wording, or a slot standing for an unknown placeholder value.

    ``opener`` marks the first term of a paragraph or sentence (where a capital is benign);
    ``placeholder`` names the programme value the term comes from, if any.
    """

    key: str
    text: str
    spaced: bool = True
    opener: bool = False
    placeholder: str | None = None

    @property
    def slot(self) -> bool:
        """Return True when the term is a wildcard for an unknown placeholder value."""
        return self.key == SLOT_KEY


@dataclass(frozen=True)
class Pattern:
    """One wording of one clause as the checker looks for it; ``rank`` 0 is the standard wording.

    ``runs`` are the [start, end) ranges of terms between slots, ``run_texts`` their
    texts; ``shingles`` the offsets of the runs of SHINGLE terms that hold no slot.
    """

    clause: Clause
    wording: Wording
    rank: int
    terms: tuple[Term, ...]
    runs: tuple[tuple[int, int], ...]
    run_texts: tuple[tuple[str, ...], ...]
    shingles: tuple[int, ...]
    fixed: tuple[tuple[str, str], ...] = ()

    @property
    def variant(self) -> str | None:
        """Return the name of the approved alternative, or None for the standard wording."""
        return self.wording.variant

    @cached_property
    def literal_keys(self) -> tuple[str, ...]:
        """Return the keys of the terms that are words, not slots, in order."""
        return tuple(t.key for t in self.terms if not t.slot)

    @cached_property
    def literal_counts(self) -> Counter:
        """Return how often each literal key occurs in the wording."""
        return Counter(self.literal_keys)

    @property
    def slot_count(self) -> int:
        """Return the number of slots."""
        return len(self.terms) - len(self.literal_keys)


def clause_patterns(clause: Clause, values: dict[str, str] | None) -> tuple[Pattern, ...]:
    """Return a pattern for each wording of ``clause``: placeholders hold ``values``, slots where unknown.

    Without values, a placeholder that can hold only a few values (PLACEHOLDER_CHOICES)
    is not a slot: the wording gets one pattern per choice, so that a slot never
    takes words that no programme could give it.
    """
    return tuple(pattern_of(clause, wording, rank, wording_terms(wording, filled),
                            tuple(filled.items()) if values is None and filled else ())
                 for rank, wording in enumerate(clause.wordings) for filled in _fillings(wording, values))


def _fillings(wording: Wording, values: dict[str, str] | None) -> list[dict[str, str] | None]:
    """Return the values to draft ``wording`` with: ``values``, or each combination of the choices it uses."""
    names = [name for name in wording.placeholders() if name in PLACEHOLDER_CHOICES]
    if values is not None or not names:
        return [values]
    return [dict(zip(names, chosen)) for chosen in product(*(PLACEHOLDER_CHOICES[name] for name in names))]


def pattern_of(clause: Clause, wording: Wording, rank: int, terms: tuple[Term, ...],
               fixed: tuple[tuple[str, str], ...] = ()) -> Pattern:
    """Return the pattern of ``terms``, with its literal runs and shingles worked out."""
    runs = tuple(literal_runs(terms))
    shingles = tuple(o for start, end in runs for o in range(start, end - SHINGLE + 1))
    texts = tuple(tuple(t.text for t in terms[start:end]) for start, end in runs)
    return Pattern(clause, wording, rank, terms, runs, texts, shingles, fixed)


def wording_terms(wording: Wording, values: dict[str, str] | None) -> tuple[Term, ...]:
    """Return the terms of ``wording``'s paragraphs, one after the other; a placeholder without a value is a slot."""
    known = values or {}
    terms: list[Term] = []
    for paragraph in wording.paragraphs:
        pieces: list[Piece] = []
        cursor = 0
        for match in PLACEHOLDER.finditer(paragraph):
            if match.group(1) not in known:
                pieces += _rendered_pieces(paragraph[cursor:match.start()], known, labels=cursor == 0)
                pieces.append((SLOT_KEY, "{{ %s }}" % match.group(1), True, match.group(1)))
                cursor = match.end()
        terms += _mark_openers(pieces + _rendered_pieces(paragraph[cursor:], known, labels=cursor == 0))
    return tuple(terms)


Piece = tuple[str, str, bool, "str | None"]
"""A term before its opener flag is known: key, text, spaced, placeholder."""


def _rendered_pieces(text: str, values: dict[str, str], labels: bool) -> list[Piece]:
    """Return the pieces of ``text`` with its placeholders filled, each value's pieces naming it."""
    rendered, ranges, cursor = "", [], 0
    for match in PLACEHOLDER.finditer(text):
        rendered += text[cursor:match.start()]
        ranges.append((len(rendered), len(rendered) + len(values[match.group(1)]), match.group(1)))
        rendered += values[match.group(1)]
        cursor = match.end()
    rendered += text[cursor:]
    return [(t.key, t.text, t.spaced, _range_name(t.start, ranges)) for t in tokenise(rendered, labels=labels)]


def _range_name(offset: int, ranges: list[tuple[int, int, str]]) -> str | None:
    return next((name for start, end, name in ranges if start <= offset < end), None)


def _mark_openers(pieces: list[Piece]) -> list[Term]:
    openers = [True, *(piece[0] in TERMINATORS for piece in pieces[:-1])] if pieces else []
    return [Term(key, text, spaced, opener, name) for (key, text, spaced, name), opener in zip(pieces, openers)]


def literal_runs(terms: tuple[Term, ...]) -> list[tuple[int, int]]:
    """Return the [start, end) index ranges of the maximal runs of terms that are not slots."""
    runs, start = [], 0
    for index, term in enumerate(terms):
        if term.slot:
            if index > start:
                runs.append((start, index))
            start = index + 1
    if len(terms) > start:
        runs.append((start, len(terms)))
    return runs
