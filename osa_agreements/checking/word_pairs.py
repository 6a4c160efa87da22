"""From an alignment to word pairs: slots filled with the expected values, the span's sentence completed.

The pairs are what the diff and the findings are made of: each is a library term and
the document word standing for it (``equal``), a term with no counterpart
(``delete``), or a document word the library does not have (``insert``).
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from osa_agreements.checking.align import DELETE, EQUAL, INSERT, SLOT, Alignment
from osa_agreements.checking.pattern import Term
from osa_agreements.checking.results import DiffOp
from osa_agreements.checking.text import BARRIER, TERMINATORS, Stream, join_tokens

Values = dict[str, tuple[Term, ...]]
"""Expected placeholder values, as terms, by placeholder name."""


@dataclass(frozen=True)
class Pair:
    """One library term and/or one document word (a stream position)."""

    op: str
    term: Term | None = None
    doc: int | None = None


def value_terms(stream: Stream, start: int, end: int, name: str) -> tuple[Term, ...]:
    """Return the document words ``start``..``end`` as terms of placeholder ``name``."""
    return tuple(Term(stream.keys[p], stream.texts[p], stream.spaced[p], placeholder=name) for p in range(start, end))


def expand(terms: tuple[Term, ...], alignment: Alignment, stream: Stream, expected: Values) -> list[Pair]:
    """Return the alignment as word pairs, each slot compared with the expected value of its placeholder."""
    pairs: list[Pair] = []
    for step in alignment.steps:
        term = terms[step.term] if step.term is not None else None
        if step.op == SLOT:
            pairs += _value_pairs(expected.get(term.placeholder, ()), step.doc, step.end, stream)
        elif step.op == DELETE and term.slot:
            pairs += [Pair(DELETE, t) for t in expected.get(term.placeholder, (term,))]
        else:
            pairs.append(Pair(step.op, term, step.doc))
    return pairs


def _value_pairs(wanted: tuple[Term, ...], start: int, end: int, stream: Stream) -> list[Pair]:
    """Return the value's words compared with the expected value; in each change, deletions come first."""
    found = list(stream.texts[start:end])
    texts = [t.text for t in wanted]
    pairs: list[Pair] = []
    deleted: list[Pair] = []
    inserted: list[Pair] = []
    for op in Indel.opcodes(texts, found):
        if op.tag == "equal":
            pairs += deleted + inserted
            deleted, inserted = [], []
            pairs += [Pair(EQUAL, wanted[op.src_start + i], start + op.dest_start + i)
                      for i in range(op.src_end - op.src_start)]
        else:
            deleted += [Pair(DELETE, wanted[i]) for i in range(op.src_start, op.src_end)]
            inserted += [Pair(INSERT, None, start + j) for j in range(op.dest_start, op.dest_end)]
    return pairs + deleted + inserted


def sentence_extension(alignment: Alignment, stream: Stream, claimed: Container[int]) -> tuple[list[int], list[int]]:
    """Return the unclaimed words of the same sentence and paragraph just before and just after the span.

    Words there belong to the clause's sentence ("Unless otherwise agreed, the
    Government ... shall"), so they count as inserted.
    """
    before, position = [], alignment.start - 1
    while _same_sentence(stream, position, alignment.start, claimed) and stream.keys[position] not in TERMINATORS:
        before.append(position)
        position -= 1
    ended = stream.keys[alignment.end - 1] in TERMINATORS
    return before[::-1], [] if ended else next_sentence(alignment.end, stream, claimed)


def next_sentence(end: int, stream: Stream, claimed: Container[int]) -> list[int]:
    """Return the unclaimed words from position ``end`` to the end of their sentence, in the same paragraph."""
    words, position = [], end
    while _same_sentence(stream, position, end - 1, claimed):
        words.append(position)
        if stream.keys[position] in TERMINATORS:
            break
        position += 1
    return words


def _same_sentence(stream: Stream, position: int, anchor: int, claimed: Container[int]) -> bool:
    return (0 <= position < len(stream) and position not in claimed and stream.keys[position] != BARRIER
            and stream.sources[position] == stream.sources[anchor])


def diff_ops(pairs: list[Pair], stream: Stream) -> tuple[DiffOp, ...]:
    """Return the pairs as runs of equal, inserted and deleted words (document spelling where it has one)."""
    ops: list[DiffOp] = []
    run: list[Pair] = []
    for pair in pairs + [Pair("end")]:
        if run and pair.op != run[-1].op:
            ops.append(DiffOp(run[-1].op, pairs_text(run, stream)))
            run = []
        run.append(pair)
    return tuple(ops)


def pairs_text(pairs: list[Pair], stream: Stream) -> str:
    """Return the words of ``pairs`` as text: the document's words, or the library's for deletions."""
    return join_tokens(_token(pair, stream) for pair in pairs)


def _token(pair: Pair, stream: Stream) -> tuple[str, bool]:
    if pair.doc is not None:
        return stream.texts[pair.doc], stream.spaced[pair.doc]
    return pair.term.text, pair.term.spaced


def pairs_similarity(pairs: list[Pair]) -> float:
    """Return the Dice similarity of the compared words."""
    shared = sum(1 for p in pairs if p.op == EQUAL)
    total = sum(2 if p.op == EQUAL else 1 for p in pairs)
    return 2 * shared / total if total else 0.0


def with_extension(pairs: list[Pair], before: list[int], after: list[int]) -> list[Pair]:
    """Return ``pairs`` with the sentence's words outside the span added as insertions."""
    return [Pair(INSERT, None, p) for p in before] + pairs + [Pair(INSERT, None, p) for p in after]


def is_unchanged(pairs: list[Pair]) -> bool:
    """Return True when every pair is equal: the words are the library's."""
    return all(p.op == EQUAL for p in pairs)
