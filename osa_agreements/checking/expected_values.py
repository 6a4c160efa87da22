"""Placeholder values when no programme is given: the value most clauses agree on, then a literal comparison.

A slot is a wildcard, good for finding a clause and reading the values it holds.
Once the document's values are known, a match whose slot holds another value is
aligned again with the wording holding the expected values, without wildcards.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass

from osa_agreements.ooxml.records import DocumentText
from osa_agreements.checking.align import EQUAL, MAX_SLOT, SLOT, align
from osa_agreements.checking.locate import FOUND, Draft, Match, clause_hints, locate_clauses
from osa_agreements.checking.word_pairs import Values, value_terms
from osa_agreements.checking.evidence import document_stream
from osa_agreements.checking.candidates import clip
from osa_agreements.checking.pattern import pattern_of, wording_terms
from osa_agreements.checking.text import Stream, join_tokens


Ballot = tuple[tuple[str, ...], str, int, int]
"""A value a slot holds: its words, the clause, and its stream positions [start, end)."""


def consensus(found: dict[str, list[Match]], stream: Stream) -> Values:
    """Return, for each placeholder, the value most clauses agree on (ties: the earliest in the text).

    A slot votes for the words it holds; a pattern with a value written in from a
    few choices (``Pattern.fixed``) votes for the words that matched that value.
    """
    ballots: dict[str, list[Ballot]] = {}
    for clause_id, matches in found.items():
        for match in matches:
            for step in (s for s in match.alignment.steps if s.op == SLOT):
                name = match.pattern.terms[step.term].placeholder
                ballots.setdefault(name, []).append((stream.texts[step.doc:step.end], clause_id, step.doc, step.end))
            for name, start, end in _fixed_spans(match):
                ballots.setdefault(name, []).append((stream.texts[start:end], clause_id, start, end))
    return {name: _winner(votes, stream, name) for name, votes in ballots.items()}


def held_values(document: DocumentText, checker) -> dict[str, str]:
    """Return, as text, the placeholder values most clauses of ``document`` agree on (``checker``: a Checker)."""
    stream = document_stream(document)
    draft = Draft(document, stream, checker.lexicon, clause_hints(document))
    found, _, _ = locate_clauses(draft, checker.patterns, checker.shingles)
    return {name: join_tokens((t.text, t.spaced) for t in terms) for name, terms in consensus(found, stream).items()}


def _fixed_spans(match: Match) -> list[tuple[str, int, int]]:
    """Return ``(placeholder, start, end)`` of the stream words that matched each written-in value, whole."""
    spans = []
    for name, _ in match.pattern.fixed:
        terms = [i for i, t in enumerate(match.pattern.terms) if t.placeholder == name]
        steps = [s for s in match.alignment.steps if s.term in terms]
        if steps and all(s.op == EQUAL for s in steps) and len(steps) == len(terms):
            spans.append((name, steps[0].doc, steps[-1].doc + 1))
    return spans


def _winner(ballots: list[Ballot], stream: Stream, name: str):
    """Return, as terms, the value held by the most clauses; of equals, the one found first in the text."""
    clauses: dict[tuple[str, ...], set[str]] = {}
    for value, clause_id, _, _ in ballots:
        clauses.setdefault(value, set()).add(clause_id)
    _, _, start, end = min(sorted(ballots, key=lambda b: b[2]), key=lambda b: -len(clauses[b[0]]))
    return value_terms(stream, start, end, name)


def settled(match: Match, draft: Draft, expected: Values, claimed: Container[int]) -> Match:
    """Return the match aligned again with the expected values written in, when a slot holds another value.

    A slot is a wildcard, good for finding a clause and reading its values; once the
    values are known, the words are compared without wildcards.
    """
    if holds_expected(match, draft.stream, expected):
        return match
    pattern = match.pattern
    fixed = dict(pattern.fixed)
    values = {name: join_tokens((t.text, t.spaced) for t in expected.get(name, ())) or fixed.get(name)
              or "{{ %s }}" % name for name in pattern.wording.placeholders()}
    literal = pattern_of(pattern.clause, pattern.wording, pattern.rank, wording_terms(pattern.wording, values),
                         pattern.fixed)
    start, end = match.alignment.start, match.alignment.end
    region = match.region or clip(draft.stream, start - MAX_SLOT, end + MAX_SLOT, start)
    again = align(literal.terms, draft.stream, region, ClaimedElsewhere(claimed, start, end), draft.lexicon)
    return Match(literal, again, region) if again is not None and again.similarity >= FOUND else match


def holds_expected(match: Match, stream: Stream, expected: Values) -> bool:
    """Return True when every slot of the match, and every value written in, holds the expected value."""
    for name, value in match.pattern.fixed:
        if name in expected and join_tokens((t.text, t.spaced) for t in expected[name]) != value:
            return False
    for step in match.alignment.steps:
        term = match.pattern.terms[step.term] if step.term is not None else None
        if term is None or not term.slot:
            continue
        value = expected.get(term.placeholder, ())
        if step.op != SLOT or tuple(t.text for t in value) != stream.texts[step.doc:step.end]:
            return False
    return True


@dataclass(frozen=True)
class ClaimedElsewhere:
    """The claimed positions, less the span ``start``..``end`` of the match being aligned again."""

    claimed: Container[int]
    start: int
    end: int

    def __contains__(self, position: object) -> bool:
        return position in self.claimed and not self.start <= position < self.end
