"""The sentences of a draft's paragraphs: joined items, split sentences.

A paragraph that ends with ":" or ";" runs on into the next one ("The Government ...
undertakes:" / "(a) not to transfer ...;" / "(b) to use ..."), so an enumeration is
read as one sentence. Sentences are split by pysbd, which knows abbreviations
("U.N.", "Art. 2", "i.e."); its pieces that end with ":" or ";" are joined again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from osa_agreements.ooxml.records import Block

RUN_ON = (":", ";", "; and", "; or", ", and", ", or")
"""Paragraph endings after which the sentence goes on in the next paragraph."""
MAX_RUN = 12
"""At most this many paragraphs make one passage."""


@dataclass(frozen=True)
class Sentence:
    """A sentence of the draft and the positions in ``document.blocks`` of the paragraphs it stands in."""

    text: str
    blocks: tuple[int, ...]


def _runs_on(block: Block) -> bool:
    return block.accepted.rstrip().endswith(RUN_ON)


def passage_of(blocks: Sequence[Block], position: int) -> tuple[int, int]:
    """Return the first and last positions of the paragraphs the sentence at ``position`` runs over.

    Paragraphs run on only in an enumeration: from a head ending with ":" through the
    items ending with ";" (", and", "; or") to the one that ends the sentence.
    """
    first = position
    while first > 0 and position - first < MAX_RUN and blocks[first - 1].part == blocks[position].part \
            and _runs_on(blocks[first - 1]):
        first -= 1
    while first < position and not blocks[first].accepted.rstrip().endswith(":"):
        first += 1
    if first == position and not blocks[position].accepted.rstrip().endswith(":"):
        return position, position
    last = position
    while last + 1 < len(blocks) and last - first < MAX_RUN and blocks[last + 1].part == blocks[position].part \
            and _runs_on(blocks[last]):
        last += 1
    return first, last


def passage_sentences(blocks: Sequence[Block], first: int, last: int) -> list[Sentence]:
    """Return the sentences of paragraphs ``first``..``last`` joined, each with the paragraphs it covers."""
    texts = [blocks[p].accepted.strip() for p in range(first, last + 1)]
    starts, offset = [], 0
    for text in texts:
        starts.append(offset)
        offset += len(text) + 1
    joined = " ".join(texts)
    sentences = []
    for start, end in split_sentences(joined):
        covered = tuple(first + i for i, s in enumerate(starts) if s < end and start < s + len(texts[i]) + 1)
        sentences.append(Sentence(joined[start:end].strip(), covered))
    return [s for s in sentences if s.text]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return the [start, end) offsets of the sentences of ``text``; list items stay in their sentence."""
    spans: list[tuple[int, int]] = []
    for piece in _segmenter().segment(text):
        if spans and text[spans[-1][0]:spans[-1][1]].rstrip().endswith(RUN_ON):
            spans[-1] = (spans[-1][0], piece.end)
        else:
            spans.append((piece.start, piece.end))
    return spans


@lru_cache(maxsize=1)
def _segmenter():
    """Return pysbd's English segmenter (imported only when a draft needs reading)."""
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=True)
