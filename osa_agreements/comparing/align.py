"""Aligning the paragraphs of two drafts: which paragraph of SENT became which of RECEIVED.

1. Paragraphs with the same text are matched across the whole part: those found
   once in each draft anchor the alignment (as in patience diff), and a longest
   common subsequence (difflib) matches the rest between anchors.
2. A paragraph whose exact text stands once among SENT's unmatched paragraphs and
   once among RECEIVED's, in different places, has moved.
3. In each stretch between matches, the remaining paragraphs are paired in order by
   similarity (the pairing with the greatest total similarity, paragraphs at least
   half alike); a paired paragraph that reads better joined with an unpaired
   neighbour was split (one SENT paragraph, two in RECEIVED) or merged.
4. What stays unpaired was deleted (SENT only) or inserted (RECEIVED only).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from rapidfuzz import fuzz

EQUAL, CHANGED, DELETED, INSERTED, MOVED_AWAY, MOVED_HERE = (
    "equal", "changed", "deleted", "inserted", "moved-away", "moved-here")
SIMILAR = 50.0
"""The least similarity (rapidfuzz ratio, 0-100) for two paragraphs to be one paragraph changed."""
JOINED_BETTER = 10.0
"""How much more similar a paragraph must be to two joined neighbours to count as split or merged."""
PAIRING_CELLS = 40_000
"""Above this many paragraph pairs in one stretch, pairing goes greedily instead of optimally."""
REPLACED_MOST = 20
"""Runs of more deleted or inserted paragraphs than this stay paragraphs deleted and inserted."""
MOVE_MIN_CHARACTERS = 12
"""Shorter paragraphs ("5", "Annex") are too common to be taken for moves."""


@dataclass(frozen=True)
class Region:
    """Paragraphs of SENT (``sent``) and RECEIVED (``received``) that correspond, by 0-based position.

    ``at`` is the RECEIVED position before which SENT's paragraphs stood when ``received``
    is empty; ``move`` names the move a ``moved-away``/``moved-here`` region belongs to.
    """

    kind: str
    sent: tuple[int, ...]
    received: tuple[int, ...]
    at: int
    move: str | None = None


def shifted(region: Region, sent_offset: int, received_offset: int) -> Region:
    """Return ``region`` with its positions moved by the offsets (aligned within a stretch of a part)."""
    return Region(region.kind, tuple(i + sent_offset for i in region.sent),
                  tuple(j + received_offset for j in region.received), region.at + received_offset, region.move)


def align(sent: Sequence[str], received: Sequence[str], joinable: Sequence[bool], prefix: str = "move") -> list[Region]:
    """Return the regions of two parts' paragraph texts in RECEIVED's order, deletions where they stood.

    ``joinable[j]`` says whether RECEIVED's paragraphs j and j+1 can be one paragraph in
    SENT (they stand in the same cell, note or body). Moves are named ``prefix-N``.
    """
    slots: list[Region | _Gap] = []
    for tag, i1, i2, j1, j2 in paragraph_opcodes(sent, received):
        if tag == "equal":
            slots.extend(Region(EQUAL, (i,), (j,), j) for i, j in zip(range(i1, i2), range(j1, j2)))
        else:
            slots.append(_Gap(list(range(i1, i2)), list(range(j1, j2)), j2))
    gaps = [slot for slot in slots if isinstance(slot, _Gap)]
    moves = _moves(gaps, sent, received, prefix)
    regions = []
    for slot in slots:
        regions.extend(_replacements(_pair(slot, sent, received, joinable, moves), joinable)
                       if isinstance(slot, _Gap) else [slot])
    return regions


def paragraph_opcodes(sent: Sequence[str], received: Sequence[str]) -> list[tuple[str, int, int, int, int]]:
    """Return difflib-style opcodes between two lists of paragraphs, anchored on paragraphs found once in each.

    The paragraphs that stand exactly once in both, in the same order (their longest
    increasing run), cut the parts into short stretches; difflib aligns each stretch.
    This keeps a long agreement with scattered edits near linear time.
    """
    opcodes: list[tuple[str, int, int, int, int]] = []
    i0 = j0 = 0
    for i, j in [*_anchors(sent, received), (len(sent), len(received))]:
        if i > i0 or j > j0:
            matcher = SequenceMatcher(None, sent[i0:i], received[j0:j], autojunk=False)
            opcodes += [(tag, a1 + i0, a2 + i0, b1 + j0, b2 + j0) for tag, a1, a2, b1, b2 in matcher.get_opcodes()]
        if i < len(sent):
            opcodes.append(("equal", i, i + 1, j, j + 1))
        i0, j0 = i + 1, j + 1
    return opcodes


def _anchors(sent: Sequence[str], received: Sequence[str]) -> list[tuple[int, int]]:
    """Return the pairs of positions of texts found once in each part, the longest run increasing in both."""
    once_sent = _once(sent)
    once_received = _once(received)
    pairs = [(i, once_received[text]) for text, i in once_sent.items() if text in once_received]
    pairs.sort()
    tails: list[int] = []  # tails[k]: index in pairs ending the best increasing run of length k + 1
    previous = [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        k = _bisect_tails(tails, pairs, j)
        previous[index] = tails[k - 1] if k else -1
        if k == len(tails):
            tails.append(index)
        else:
            tails[k] = index
    run, index = [], tails[-1] if tails else -1
    while index >= 0:
        run.append(pairs[index])
        index = previous[index]
    return run[::-1]


def _bisect_tails(tails: list[int], pairs: list[tuple[int, int]], j: int) -> int:
    """Return the first k whose run ends at a RECEIVED position not below ``j``."""
    low, high = 0, len(tails)
    while low < high:
        middle = (low + high) // 2
        if pairs[tails[middle]][1] < j:
            low = middle + 1
        else:
            high = middle
    return low


def _once(texts: Sequence[str]) -> dict[str, int]:
    """Return ``{text: position}`` for the texts that stand exactly once."""
    seen: dict[str, int] = {}
    repeated = set()
    for position, text in enumerate(texts):
        if text in seen:
            repeated.add(text)
        seen[text] = position
    return {text: position for text, position in seen.items() if text not in repeated}


def _replacements(regions: list[Region], joinable: Sequence[bool]) -> list[Region]:
    """Return ``regions`` with each run of deleted and inserted paragraphs made one change (or one insertion).

    Paragraphs that replace others where they stood read best as their text replaced,
    and a paragraph mark that cannot go (the last of a cell) is then never needed.
    """
    merged: list[Region] = []
    run: list[Region] = []
    for region in [*regions, None]:
        if region is not None and region.kind in (DELETED, INSERTED):
            run.append(region)
            continue
        merged.extend(_replacement(run, joinable))
        run = []
        if region is not None:
            merged.append(region)
    return merged


def _replacement(run: list[Region], joinable: Sequence[bool]) -> list[Region]:
    sent = tuple(i for region in run for i in region.sent)
    received = tuple(j for region in run for j in region.received)
    if not received or not all(joinable[j] for j in received[:-1]):
        return run
    if not sent:
        return [Region(INSERTED, (), received, received[0])]
    if len(sent) > REPLACED_MOST or len(received) > REPLACED_MOST:
        return run
    return [Region(CHANGED, sent, received, received[0])]


@dataclass
class _Gap:
    """A stretch of unmatched paragraphs: SENT positions, RECEIVED positions, the RECEIVED position after it."""

    sent: list[int]
    received: list[int]
    end: int


def _moves(gaps: list[_Gap], sent: Sequence[str], received: Sequence[str], prefix: str) -> dict[tuple[str, int], str]:
    """Return the moves found between gaps, as ``{("sent"|"received", position): name}``."""
    sent_at = _unique_texts(((i, sent[i]), number) for number, gap in enumerate(gaps) for i in gap.sent)
    received_at = _unique_texts(((j, received[j]), number) for number, gap in enumerate(gaps) for j in gap.received)
    moves = {}
    for text, (i, gap) in sent_at.items():
        if text in received_at and received_at[text][1] != gap:
            name = f"{prefix}-{len(moves) // 2 + 1}"
            moves[("sent", i)] = moves[("received", received_at[text][0])] = name
    return moves


def _unique_texts(items) -> dict[str, tuple[int, int]]:
    """Return ``{text: (position, gap)}`` for the texts that stand exactly once, long enough to be a move."""
    seen: dict[str, tuple[int, int] | None] = {}
    for (position, text), gap in items:
        if len(text.strip()) >= MOVE_MIN_CHARACTERS:
            seen[text] = None if text in seen else (position, gap)
    return {text: place for text, place in seen.items() if place is not None}


def _pair(gap: _Gap, sent: Sequence[str], received: Sequence[str], joinable: Sequence[bool],
          moves: dict[tuple[str, int], str]) -> list[Region]:
    """Return the regions of one gap in order: moves and pairs where they stand, the rest deleted or inserted."""
    rest_sent = [i for i in gap.sent if ("sent", i) not in moves]
    rest_received = [j for j in gap.received if ("received", j) not in moves]
    pairs = _best_pairs(rest_sent, rest_received, sent, received)
    pairs = _joined(pairs, rest_sent, rest_received, sent, received, joinable)
    return _regions(gap, pairs, moves)


def _similarity(first: str, second: str) -> float:
    return fuzz.ratio(first, second, score_cutoff=SIMILAR)


def _best_pairs(rest_sent: list[int], rest_received: list[int], sent: Sequence[str],
                received: Sequence[str]) -> list[tuple[int, int]]:
    """Return (SENT, RECEIVED) position pairs in order with the greatest total similarity."""
    if not rest_sent or not rest_received:
        return []
    if len(rest_sent) * len(rest_received) > PAIRING_CELLS:
        return _greedy_pairs(rest_sent, rest_received, sent, received)
    rows, columns = len(rest_sent), len(rest_received)
    score = [[0.0] * (columns + 1) for _ in range(rows + 1)]
    for a in range(rows - 1, -1, -1):
        text, row, below = sent[rest_sent[a]], score[a], score[a + 1]
        for b in range(columns - 1, -1, -1):
            similar = _similarity(text, received[rest_received[b]])
            row[b] = max(below[b], row[b + 1], below[b + 1] + similar if similar else 0.0)
    return _traceback(score, rest_sent, rest_received, sent, received)


def _traceback(score, rest_sent, rest_received, sent, received) -> list[tuple[int, int]]:
    pairs, a, b = [], 0, 0
    while a < len(rest_sent) and b < len(rest_received):
        similar = _similarity(sent[rest_sent[a]], received[rest_received[b]])
        if similar and score[a][b] == score[a + 1][b + 1] + similar:
            pairs.append((rest_sent[a], rest_received[b]))
            a, b = a + 1, b + 1
        elif score[a][b] == score[a + 1][b]:
            a += 1
        else:
            b += 1
    return pairs


def _greedy_pairs(rest_sent, rest_received, sent, received) -> list[tuple[int, int]]:
    """Return pairs found walking both sides together, looking a few paragraphs ahead on each."""
    pairs, a, b = [], 0, 0
    while a < len(rest_sent) and b < len(rest_received):
        options = [(_similarity(sent[rest_sent[a + da]], received[rest_received[b + db]]), -da - db, da, db)
                   for da in range(3) for db in range(3)
                   if a + da < len(rest_sent) and b + db < len(rest_received)]
        best = max(options)
        if best[0]:
            pairs.append((rest_sent[a + best[2]], rest_received[b + best[3]]))
            a, b = a + best[2] + 1, b + best[3] + 1
        else:
            a, b = a + 1, b + 1
    return pairs


def _joined(pairs, rest_sent, rest_received, sent, received, joinable) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Return the pairs, each widened to two paragraphs on one side where the text was split or merged."""
    free_sent = set(rest_sent) - {i for i, _ in pairs}
    free_received = set(rest_received) - {j for _, j in pairs}
    widened = []
    for i, j in pairs:
        alone = fuzz.ratio(sent[i], received[j])
        options = [((i,), (k, k + 1), free_received, other) for k, other in ((j, j + 1), (j - 1, j - 1))
                   if other in free_received and 0 <= k < len(joinable) and joinable[k]]
        options += [((k, k + 1), (j,), free_sent, other) for k, other in ((i, i + 1), (i - 1, i - 1))
                    if other in free_sent]
        best = max(options, key=lambda option: _joined_similarity(option, sent, received), default=None)
        if best is not None and _joined_similarity(best, sent, received) >= alone + JOINED_BETTER:
            best[2].discard(best[3])
            widened.append(best[:2])
        else:
            widened.append(((i,), (j,)))
    return widened


def _joined_similarity(option, sent: Sequence[str], received: Sequence[str]) -> float:
    sent_group, received_group = option[:2]
    return fuzz.ratio(" ".join(sent[i] for i in sent_group), " ".join(received[j] for j in received_group))


def _regions(gap: _Gap, pairs, moves: dict[tuple[str, int], str]) -> list[Region]:
    """Return a gap's regions in RECEIVED's order; SENT's unpaired paragraphs stand before the next pair or move.

    Putting them after the paragraphs inserted there lets ``_replacements`` join the two.
    """
    paired_sent = {i for group, _ in pairs for i in group}
    paired_received = {j for _, group in pairs for j in group}
    pair_at = {group[0]: (sent_group, group) for sent_group, group in pairs}
    pending = deque(gap.sent)
    regions: list[Region] = []
    for j, bound in zip(gap.received, _next_pair_starts(gap.received, pair_at)):
        if j in paired_received and j not in pair_at:
            continue
        if j in pair_at:
            regions.extend(_unpaired_sent(pending, paired_sent, pair_at[j][0][0], j, moves))
            regions.append(Region(CHANGED, *pair_at[j], j))
        elif ("received", j) in moves:
            regions.extend(_unpaired_sent(pending, paired_sent, bound, j, moves))
            regions.append(Region(MOVED_HERE, (), (j,), j, moves[("received", j)]))
        else:
            regions.append(Region(INSERTED, (), (j,), j))
    regions.extend(_unpaired_sent(pending, paired_sent, None, gap.end, moves))
    return regions


def _next_pair_starts(received: list[int], pair_at: dict) -> list[int | None]:
    """Return, per RECEIVED position, the first SENT position of the next pair from there on (None: no pair)."""
    starts: list[int | None] = []
    following = None
    for j in reversed(received):
        following = pair_at[j][0][0] if j in pair_at else following
        starts.append(following)
    return starts[::-1]


def _unpaired_sent(pending: deque, paired: set[int], bound: int | None, at: int,
                   moves: dict[tuple[str, int], str]) -> list[Region]:
    """Return regions for SENT's unpaired paragraphs standing before SENT position ``bound`` (None: all), at ``at``."""
    regions: list[Region] = []
    while pending and (bound is None or pending[0] < bound):
        i = pending.popleft()
        if i in paired:
            continue
        if ("sent", i) in moves:
            regions.append(Region(MOVED_AWAY, (i,), (), at, moves[("sent", i)]))
        elif regions and regions[-1].kind == DELETED:
            regions[-1] = Region(DELETED, (*regions[-1].sent, i), (), at)
        else:
            regions.append(Region(DELETED, (i,), (), at))
    return regions
