"""Where a clause may stand: shingle hits over the stream, exact occurrences, candidate regions.

Everything here is linear in the length of the stream: one pass builds the hits of
all wordings at once; exact occurrences are verified from the rarest shingle;
candidate regions are clusters of hits, small enough for ``align``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Container, Sequence

from rapidfuzz.distance import LCSseq

from osa_agreements.checking.align import MAX_SLOT, Alignment, Region, exact_at, fast_path_applies
from osa_agreements.checking.lexicon import Lexicon
from osa_agreements.checking.pattern import SHINGLE, Pattern
from osa_agreements.checking.text import Stream

REGIONS_PER_WORDING = 4
GAP = 30
"""Hits further apart than this many words belong to different clusters."""
COMMON = 500
"""A shingle found more often than this says nothing about where a clause stands."""
MIN_SHARE = 0.1
"""A cluster must hit at least this share of the wording's shingles to be worth aligning."""

Hits = dict[int, list[int]]
"""For one wording: {offset of a shingle in the wording: stream positions where it occurs}."""


def clip(stream: Stream, lo: int, hi: int, inside: int) -> Region:
    """Return ``lo``..``hi`` cut at the barriers around position ``inside``."""
    index = bisect_left(stream.barriers, inside)
    floor = stream.barriers[index - 1] + 1 if index else 0
    return Region(max(lo, floor), min(hi, stream.barriers[index]))


ShingleTable = dict[tuple[str, ...], list[tuple[int, int]]]
"""For a list of wordings: {shingle: (index of the wording, offset of the shingle in it) for each place}."""


def shingle_table(patterns: Sequence[Pattern]) -> ShingleTable:
    """Return the shingles (3 literal words in a row) of every pattern, to look them up in a stream."""
    table: ShingleTable = {}
    for index, pattern in enumerate(patterns):
        for offset in pattern.shingles:
            table.setdefault(tuple(t.key for t in pattern.terms[offset:offset + SHINGLE]), []).append((index, offset))
    return table


def shingle_hits(stream: Stream, patterns: Sequence[Pattern], table: ShingleTable | None = None) -> list[Hits]:
    """Return, for each pattern, where each of its shingles occurs; ``table`` is ``shingle_table(patterns)``."""
    table = shingle_table(patterns) if table is None else table
    hits: list[Hits] = [{} for _ in patterns]
    keys = stream.keys
    for position, shingle in enumerate(zip(keys, keys[1:], keys[2:])):
        for index, offset in table.get(shingle, ()):
            hits[index].setdefault(offset, []).append(position)
    return hits


def exact_occurrences(pattern: Pattern, hits: Hits, stream: Stream, lexicon: Lexicon) -> list[Alignment]:
    """Return the exact occurrences of the wording, found from its rarest shingle, in stream order."""
    runs, offsets = pattern.runs, pattern.shingles
    if not offsets or not fast_path_applies(pattern) or any(o not in hits for o in offsets):
        return []
    anchor = min(offsets, key=lambda o: (len(hits[o]), o))
    run_index = next(i for i, (start, end) in enumerate(runs) if start <= anchor < end)
    found: list[Alignment] = []
    for position in hits[anchor]:
        alignment = exact_at(pattern, run_index, position - (anchor - runs[run_index][0]), stream, lexicon)
        if alignment is not None and (not found or alignment.start >= found[-1].end):
            found.append(alignment)
    return found


def candidate_regions(pattern: Pattern, hits: Hits, stream: Stream, claimed: Container[int],
                      minimum: float) -> list[Region]:
    """Return the regions where the wording may stand, best first, at most REGIONS_PER_WORDING.

    A region is a cluster of shingle hits outside ``claimed`` (shingles found more than
    COMMON times are too common to place anything), widened to hold the whole wording;
    it is kept only when it could reach ``minimum`` similarity at all.
    """
    spots = sorted((p, o) for o, positions in hits.items() if len(positions) <= COMMON
                   for p in positions if p not in claimed)
    clusters = _clusters(spots, _extent(pattern), stream.barriers)
    needed = max(min(2, len(pattern.shingles)), round(MIN_SHARE * len(pattern.shingles)))
    scored = sorted((-len({o for _, o in c}), c[0][0], c) for c in clusters if len({o for _, o in c}) >= needed)
    regions = []
    for _, _, cluster in scored:
        region = _widen(pattern, cluster, stream)
        if could_reach(pattern, stream, region, claimed, minimum):
            regions.append(region)
        if len(regions) == REGIONS_PER_WORDING:
            break
    return regions


def _extent(pattern: Pattern) -> int:
    """Return how far apart two hits of one occurrence of the wording can be, at most."""
    terms = pattern.terms
    return len(terms) + MAX_SLOT * sum(t.slot for t in terms) + 10 + len(terms) // 4


def _clusters(spots: list[tuple[int, int]], extent: int, barriers: tuple[int, ...]) -> list[list[tuple[int, int]]]:
    """Return runs of hits close together, never wider than ``extent`` nor across a barrier."""
    clusters: list[list[tuple[int, int]]] = []
    groups: list[int] = []
    barrier = 0
    for spot in spots:
        while barriers[barrier] < spot[0]:
            barrier += 1
        last = clusters[-1] if clusters else None
        if last and groups[-1] == barrier and spot[0] - last[-1][0] <= GAP and spot[0] - last[0][0] <= extent:
            last.append(spot)
        else:
            clusters.append([spot])
            groups.append(barrier)
    return clusters


def _widen(pattern: Pattern, cluster: list[tuple[int, int]], stream: Stream) -> Region:
    """Return the region that holds the wording around ``cluster``, with room for slots and insertions."""
    terms = pattern.terms
    margin = 10 + len(terms) // 4
    slots_before = [0]
    for term in terms:
        slots_before.append(slots_before[-1] + term.slot)
    total_slots = slots_before[-1]
    lo = min(p - o - MAX_SLOT * slots_before[o] for p, o in cluster) - margin
    hi = max(p + len(terms) - o + MAX_SLOT * (total_slots - slots_before[o]) for p, o in cluster) + margin
    return clip(stream, lo, hi, cluster[0][0])


def hinted_region(pattern: Pattern, sources: Sequence[int], stream: Stream) -> Region | None:
    """Return the region of the paragraphs ``sources`` (tagged for the clause), with a margin."""
    spans = [stream.spans[s] for s in sources if stream.spans[s][0] < stream.spans[s][1]]
    if not spans:
        return None
    margin = 10 + len(pattern.terms) // 4
    return clip(stream, min(s for s, _ in spans) - margin, max(e for _, e in spans) + margin, spans[0][0])


def could_reach(pattern: Pattern, stream: Stream, region: Region, claimed: Container[int], minimum: float) -> bool:
    """Return False when even a perfect alignment in ``region`` would stay below ``minimum``.

    Two upper bounds on the words an alignment can share, cheap one first: the words
    both sides hold (order ignored), then their longest common subsequence (order
    kept, computed by rapidfuzz), each plus one word per slot.
    """
    count = len(pattern.terms)
    if not count:
        return False
    slots = pattern.slot_count
    keys = stream.keys[region.lo:region.hi]
    free = [k for p, k in enumerate(keys, region.lo) if p not in claimed] if claimed else keys
    if not _reaches(sum((pattern.literal_counts & Counter(free)).values()) + slots, count, minimum):
        return False
    return _reaches(LCSseq.similarity(pattern.literal_keys, free) + slots, count, minimum)


def _reaches(shared: int, count: int, minimum: float) -> bool:
    """Return True when ``shared`` words of a ``count``-term wording, nothing inserted, reach ``minimum``."""
    return 2 * shared / (count + shared) >= minimum
