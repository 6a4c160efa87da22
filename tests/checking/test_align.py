"""The alignment programme finds an optimal alignment, and its steps describe it faithfully."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from osa_agreements.checking.align import CASE, DELETE, EQUAL, INDEL, INSERT, OPEN, Region, align
from osa_agreements.checking.lexicon import lexicon_of
from osa_agreements.checking.pattern import Term
from osa_agreements.checking.text import build_stream, tokenise

WORDS = ("The", "the", "Government", "shall", "not", "transfer", "Products", ",", ".")
LEXICON = lexicon_of(["shall"], [("should",)], [("endeavour",)], ["not"], [("unless",)])


def _terms(words: list[str]) -> tuple[Term, ...]:
    return tuple(Term(t.key, t.text, True, i == 0 or words[i - 1] == ".") for i, t in
                 enumerate(tokenise(" ".join(words), labels=False)))


def _cost_of(steps, terms, stream) -> int:
    """Return what the steps cost: deletions, insertion runs, benign capitals."""
    cost, previous = 0, None
    for step in steps:
        if step.op == DELETE:
            cost += INDEL
        elif step.op == INSERT:
            cost += INDEL + (OPEN if previous != INSERT else 0)
        elif step.op == EQUAL and stream.texts[step.doc] != terms[step.term].text:
            cost += CASE
        previous = step.op
    return cost


def _optimum(terms, stream) -> int:
    """Return the optimal cost by a plain two-state programme (last move an insertion or not)."""
    infinity = 1 << 30
    width = len(stream) + 1
    settled, inserting = [0] * width, [infinity] * width
    for term in terms:
        above = [min(a, b) for a, b in zip(settled, inserting)]
        settled = [above[j] + INDEL for j in range(width)]
        for j in range(1, width):
            text = stream.texts[j - 1]
            if text == term.text:
                settled[j] = min(settled[j], above[j - 1])
            elif (term.opener or stream.openers[j - 1]) and text[1:] == term.text[1:] and \
                    text[:1].lower() == term.text[:1].lower():
                settled[j] = min(settled[j], above[j - 1] + CASE)
        inserting = [infinity] * width
        for j in range(1, width):
            inserting[j] = min(settled[j - 1] + OPEN + INDEL, inserting[j - 1] + INDEL)
    return min(min(a, b) for a, b in zip(settled, inserting))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8),
       st.lists(st.sampled_from(WORDS), min_size=1, max_size=14))
def test_alignment_is_optimal_and_its_steps_add_up(clause_words, draft_words):
    terms = _terms(clause_words)
    stream = build_stream([("document", " ".join(draft_words))])
    alignment = align(terms, stream, Region(0, len(stream)), (), LEXICON)
    if alignment is None:
        assert _optimum(terms, stream) == INDEL * len(terms)
        return
    assert [s.term for s in alignment.steps if s.op != INSERT] == list(range(len(terms)))
    positions = [s.doc for s in alignment.steps if s.op != DELETE]
    assert positions == list(range(alignment.start, alignment.end))
    assert _cost_of(alignment.steps, terms, stream) == _optimum(terms, stream)
