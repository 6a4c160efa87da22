"""Where every clause stands: exact matches first, then aligned candidates best first, no word claimed twice.

Conflicts are resolved globally. Exact occurrences claim their words first; then the
aligned candidates of all clauses are taken best first, and a candidate whose words
were claimed meanwhile is aligned again without them. So a clause deleted from the
draft cannot borrow the words it shares with its sibling ("without the prior consent
of the Government of Japan"): the sibling has claimed them.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from osa_agreements.ooxml.records import DocumentText
from osa_agreements.checking.align import Alignment, Region, align
from osa_agreements.checking.lexicon import Lexicon
from osa_agreements.checking.candidates import ShingleTable, candidate_regions, exact_occurrences, hinted_region, shingle_hits
from osa_agreements.checking.pattern import Pattern
from osa_agreements.checking.text import Stream

FOUND = 0.5
"""Below this similarity a clause has no counterpart: it is missing."""
COPY = 0.8
"""A second counterpart at least this similar is a copy of the clause."""
CLAUSE_TAG = "osa-clause:"


@dataclass(frozen=True)
class Match:
    """A counterpart of one wording: its alignment, and the region it was aligned in (None: exact)."""

    pattern: Pattern
    alignment: Alignment
    region: Region | None = None


@dataclass(frozen=True)
class Draft:
    """One received draft as the engine sees it: records, stream, lexicon and tag hints."""

    document: DocumentText
    stream: Stream
    lexicon: Lexicon
    hints: dict[str, tuple[int, ...]]


def clause_hints(document: DocumentText) -> dict[str, tuple[int, ...]]:
    """Return, by clause id, the blocks a drafting tag says hold the clause (a hint, never proof)."""
    hints: dict[str, list[int]] = {}
    for position, block in enumerate(document.blocks):
        if block.clause_tag and block.clause_tag.startswith(CLAUSE_TAG):
            hints.setdefault(block.clause_tag[len(CLAUSE_TAG):].split("@")[0], []).append(position)
    return {k: tuple(v) for k, v in hints.items()}


# -- locating every clause, conflicts resolved globally ------------------------------------


def locate_clauses(draft: Draft, patterns: Sequence[Pattern], table: ShingleTable | None = None):
    """Return ({clause id: matches}, {clause id: closest similarity seen}, claimed positions).

    ``table`` is ``shingle_table(patterns)``, when it was made once for many drafts.
    """
    hits = shingle_hits(draft.stream, patterns, table)
    found: dict[str, list[Match]] = {}
    claimed: set[int] = set()
    for match in _exact_matches(patterns, hits, draft):
        if not match.alignment.overlaps(claimed):
            _accept(match, found, claimed)
    serials = itertools.count()
    queue, closest = _aligned_candidates(patterns, hits, draft, found, claimed, serials)
    _resolve(queue, draft, found, claimed, serials)
    return found, closest, claimed


def _exact_matches(patterns: Sequence[Pattern], hits, draft: Draft) -> list[Match]:
    """Return every exact occurrence of every wording, longest first, then in library and stream order."""
    matches = [Match(p, a) for index, p in enumerate(patterns)
               for a in exact_occurrences(p, hits[index], draft.stream, draft.lexicon)]
    rank = {id(p): i for i, p in enumerate(patterns)}
    return sorted(matches, key=lambda m: (m.alignment.start - m.alignment.end, rank[id(m.pattern)],
                                          m.alignment.start))


def _accept(match: Match, found: dict[str, list[Match]], claimed: set[int]) -> None:
    found.setdefault(match.pattern.clause.id, []).append(match)
    claimed.update(range(match.alignment.start, match.alignment.end))


def _aligned_candidates(patterns, hits, draft: Draft, found, claimed, serials):
    """Return a heap of aligned candidates reaching FOUND, and the closest similarity seen per clause."""
    queue: list[tuple] = []
    closest: dict[str, float] = {}
    for index, pattern in enumerate(patterns):
        clause_id = pattern.clause.id
        spans: list[Alignment] = []
        for region in _regions(pattern, hits[index], draft, found, claimed):
            if any(region.lo < a.end and a.start < region.hi for a in spans):
                continue  # the same occurrence, already aligned from an overlapping region
            alignment = align(pattern.terms, draft.stream, region, claimed, draft.lexicon)
            if alignment is None:
                continue
            closest[clause_id] = max(closest.get(clause_id, 0.0), alignment.similarity)
            if alignment.similarity >= FOUND:
                spans.append(alignment)
                heapq.heappush(queue, _entry(Match(pattern, alignment, region), index, serials))
    return queue, closest


def _regions(pattern: Pattern, hits, draft: Draft, found, claimed) -> list[Region]:
    """Return the regions to align the wording in: the tagged paragraphs first, then hit clusters."""
    known = pattern.clause.id in found
    regions = candidate_regions(pattern, hits, draft.stream, claimed, COPY if known else FOUND)
    hinted = None if known else hinted_region(pattern, draft.hints.get(pattern.clause.id, ()), draft.stream)
    return list(dict.fromkeys(([hinted] if hinted else []) + regions))


def _entry(match: Match, index: int, serials: Iterator[int]) -> tuple:
    """Return a heap entry: best similarity first, then library order, then stream order."""
    return (-match.alignment.similarity, index, match.alignment.start, next(serials), match)


def _resolve(queue: list[tuple], draft: Draft, found, claimed: set[int], serials: Iterator[int]) -> None:
    """Accept candidates best first; one whose words were claimed meanwhile is aligned again without them."""
    while queue:
        entry = heapq.heappop(queue)
        match, index = entry[-1], entry[1]
        if match.alignment.overlaps(claimed):
            again = align(match.pattern.terms, draft.stream, match.region, claimed, draft.lexicon)
            if again is not None and again.similarity >= FOUND:
                heapq.heappush(queue, _entry(Match(match.pattern, again, match.region), index, serials))
        elif match.pattern.clause.id not in found or match.alignment.similarity >= COPY:
            _accept(match, found, claimed)
