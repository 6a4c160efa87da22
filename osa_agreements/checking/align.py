"""Word-level alignment of one clause wording with a stretch of the document stream.

Two ways, one result (``Alignment``): ``exact_at`` checks an exact occurrence from an
anchor in linear time; ``align`` runs a small semi-global dynamic programme over a
candidate region (the whole wording aligned, the region's ends free). In both a slot
for an unknown placeholder value takes 1 to ``MAX_SLOT`` words of one paragraph that
hold no modal verb, negation, limiting qualifier or sentence break, so that the
wildcard can never swallow the words that carry the obligation.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from itertools import accumulate

from osa_agreements.checking.lexicon import Lexicon
from osa_agreements.checking.pattern import Pattern, Term
from osa_agreements.checking.text import BARRIER, Stream

MAX_SLOT = 30
INDEL = 10
OPEN = 5
CASE = 1
BLOCKED = 1 << 40
EQUAL, DELETE, INSERT, SLOT = "equal", "delete", "insert", "slot"
_SLOT_BREAKERS = frozenset({";", ":", BARRIER})


@dataclass(frozen=True)
class Step:
    """One move of an alignment: a term matched, deleted, a document word inserted, or a slot filled.

    ``doc`` is the stream position (slot: first position of its value, ``end`` one past the last).
    """

    op: str
    term: int | None = None
    doc: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Alignment:
    """A wording aligned with the stream positions ``start`` to ``end`` (exclusive)."""

    steps: tuple[Step, ...]
    start: int
    end: int
    similarity: float
    exact: bool

    def overlaps(self, claimed: Container[int]) -> bool:
        """Return True when a position of the span is in ``claimed``."""
        return any(p in claimed for p in range(self.start, self.end))


@dataclass(frozen=True)
class Region:
    """A candidate stretch of the stream, positions ``lo`` to ``hi`` (exclusive)."""

    lo: int
    hi: int


def similarity_of(steps: tuple[Step, ...], term_count: int) -> float:
    """Return the Dice similarity of an alignment: shared words over all words of both sides."""
    shared = sum(1 for s in steps if s.op in (EQUAL, SLOT))
    inserted = sum(1 for s in steps if s.op == INSERT)
    total = term_count + shared + inserted
    return 2 * shared / total if total else 0.0


def _may_hold(stream: Stream, position: int, lexicon: Lexicon) -> bool:
    """Return True when the word at ``position`` may stand in a placeholder value."""
    key = stream.keys[position]
    return key not in _SLOT_BREAKERS and key not in lexicon.slot_stoppers


def _may_continue(stream: Stream, position: int, lexicon: Lexicon) -> bool:
    """Return True when a value may run on from ``position - 1`` into ``position``."""
    return (_may_hold(stream, position, lexicon) and not stream.openers[position]
            and stream.sources[position] == stream.sources[position - 1])


# -- exact occurrences ------------------------------------------------------------------


def exact_at(pattern: Pattern, run_index: int, start: int, stream: Stream, lexicon: Lexicon) -> Alignment | None:
    """Return the exact occurrence of the wording whose literal run ``run_index`` begins at ``start``.

    Exact means every literal term has the same text (case included) and each slot
    holds an acceptable value. None when there is no such occurrence, or when the
    wording begins, ends or has two slots in a row, which only ``align`` handles.
    """
    if not fast_path_applies(pattern) or not _run_at(pattern, run_index, start, stream):
        return None
    end = start + len(pattern.run_texts[run_index])
    right = _extend_right(pattern, run_index, end, stream, lexicon)
    left = _extend_left(pattern, run_index, start, stream, lexicon) if right is not None else None
    if left is None:
        return None
    steps = tuple(_exact_steps(pattern, run_index, start, {**left, **right}))
    return Alignment(steps, steps[0].doc, steps[-1].doc + 1, 1.0, True)


def fast_path_applies(pattern: Pattern) -> bool:
    """Return True when the wording starts and ends with words and never has two slots in a row."""
    runs = pattern.runs
    if not runs or runs[0][0] != 0 or runs[-1][1] != len(pattern.terms):
        return False
    return all(b[0] - a[1] == 1 for a, b in zip(runs, runs[1:]))


def _run_at(pattern: Pattern, run_index: int, start: int, stream: Stream) -> bool:
    texts = pattern.run_texts[run_index]
    return start >= 0 and stream.texts[start:start + len(texts)] == texts


def _extend_right(pattern: Pattern, index: int, end: int, stream: Stream, lexicon: Lexicon):
    """Return {slot term: (start, end)} matching the runs after ``index``, nearest values first."""
    runs = pattern.runs
    if index + 1 == len(runs):
        return {}
    for size in range(1, MAX_SLOT + 1):
        last = end + size - 1
        if last >= len(stream) or not (_may_hold(stream, last, lexicon) if size == 1
                                       else _may_continue(stream, last, lexicon)):
            return None
        if _run_at(pattern, index + 1, end + size, stream) and not lexicon.qualifiers.find(stream.keys[end:last + 1]):
            rest = _extend_right(pattern, index + 1, end + size + len(pattern.run_texts[index + 1]), stream, lexicon)
            if rest is not None:
                return {runs[index][1]: (end, end + size), **rest}
    return None


def _extend_left(pattern: Pattern, index: int, start: int, stream: Stream, lexicon: Lexicon):
    """Return {slot term: (start, end)} matching the runs before ``index``, longest values first."""
    if index == 0:
        return {}
    size_before = len(pattern.run_texts[index - 1])
    for size in range(_longest_value_before(stream, start, lexicon), 0, -1):
        run_start = start - size - size_before
        value = stream.keys[start - size:start]
        if _run_at(pattern, index - 1, run_start, stream) and not lexicon.qualifiers.find(value):
            rest = _extend_left(pattern, index - 1, run_start, stream, lexicon)
            if rest is not None:
                return {pattern.runs[index - 1][1]: (start - size, start), **rest}
    return None


def _longest_value_before(stream: Stream, start: int, lexicon: Lexicon) -> int:
    """Return how many words right before ``start`` may form one placeholder value (qualifiers aside)."""
    if start < 1 or not _may_hold(stream, start - 1, lexicon):
        return 0
    size = 1
    while size < MAX_SLOT and start - size - 1 >= 0 and _may_continue(stream, start - size, lexicon) \
            and _may_hold(stream, start - size - 1, lexicon):
        size += 1
    return size


def _exact_steps(pattern: Pattern, run_index: int, start: int, slots: dict[int, tuple[int, int]]):
    first = pattern.runs[0]
    position = start if run_index == 0 else slots[first[1]][0] - (first[1] - first[0])
    for term_index, term in enumerate(pattern.terms):
        if term.slot:
            value_start, value_end = slots[term_index]
            yield Step(SLOT, term_index, value_start, value_end)
            position = value_end
        else:
            yield Step(EQUAL, term_index, position)
            position += 1


# -- alignment by dynamic programming ------------------------------------------------------


@dataclass(frozen=True)
class _Grid:
    """What the programme needs to know about a region, by column (column j is position lo + j - 1).

    Blocked words (claimed or barriers) cut the columns into stretches that no insertion
    may cross; ``starts[j]`` is the first column of column j's stretch. ``down[j]`` and
    ``up[j]`` turn insertion runs into one prefix minimum (see ``_with_insertions``).
    """

    lo: int
    slot_runs: tuple[int, ...]
    columns: dict[str, tuple[int, ...]]
    starts: tuple[int, ...]
    down: tuple[int, ...]
    up: tuple[int, ...]


def align(terms: tuple[Term, ...], stream: Stream, region: Region, claimed: Container[int],
          lexicon: Lexicon) -> Alignment | None:
    """Return the best alignment of all of ``terms`` with a stretch of ``region``, or None if nothing aligns.

    Costs: a word matched 0 (CASE where only a benign capital differs), a term deleted
    INDEL, a run of inserted words OPEN + INDEL each, a slot filled 0. Positions in
    ``claimed`` (words another clause owns) and barriers cannot take part.
    """
    grid = _grid(terms, stream, region, claimed, lexicon)
    rows = [[0] * (region.hi - region.lo + 1)]
    for term in terms:
        rows.append(_row(term, rows[-1], grid, stream))
    last = rows[-1]
    end_column = min(range(len(last)), key=last.__getitem__)
    steps = _backtrace(terms, rows, grid, stream, end_column)
    doc_steps = [s for s in steps if s.op != DELETE]
    if not doc_steps:
        return None
    start = doc_steps[0].doc
    end = doc_steps[-1].end if doc_steps[-1].op == SLOT else doc_steps[-1].doc + 1
    return Alignment(steps, start, end, similarity_of(steps, len(terms)), last[end_column] == 0)


def _grid(terms, stream: Stream, region: Region, claimed: Container[int], lexicon: Lexicon) -> _Grid:
    free = [stream.keys[p] != BARRIER and p not in claimed for p in range(region.lo, region.hi)]
    wanted = {t.key for t in terms}
    columns: dict[str, list[int]] = {}
    for column, position in enumerate(range(region.lo, region.hi), 1):
        if free[column - 1] and stream.keys[position] in wanted:
            columns.setdefault(stream.keys[position], []).append(column)
    runs = _slot_runs(stream, region, free, lexicon) if any(t.slot for t in terms) else ()
    edges = [0, *(column for column, f in enumerate(free, 1) if not f), len(free) + 1]
    starts = tuple(start for start, stop in zip(edges, edges[1:]) for _ in range(start, stop))
    stretch = tuple(accumulate(1 if column and not free[column - 1] else 0 for column in range(len(free) + 1)))
    down = tuple(INDEL * column + BLOCKED * s for column, s in enumerate(stretch))
    return _Grid(region.lo, runs, {k: tuple(v) for k, v in columns.items()}, starts, down,
                 tuple(d + OPEN for d in down))


def _slot_runs(stream: Stream, region: Region, free: list[bool], lexicon: Lexicon) -> tuple[int, ...]:
    """Return, for each column, how many words ending there may form a slot value (capped)."""
    keys = stream.keys[region.lo:region.hi]
    qualified = {p + i for p, phrase in lexicon.qualifiers.find(keys) for i in range(len(phrase))}
    runs, run = [0], 0
    for offset, key in enumerate(keys):
        position = region.lo + offset
        if not free[offset] or key in _SLOT_BREAKERS or key in lexicon.slot_stoppers or offset in qualified:
            run = 0
        elif stream.openers[position] or not offset or stream.sources[position] != stream.sources[position - 1]:
            run = 1
        else:
            run += 1
        runs.append(min(run, MAX_SLOT))
    return tuple(runs)


def _match_cost(term: Term, position: int, stream: Stream) -> int | None:
    """Return 0 for the same word, CASE where only the first letter's case differs at a sentence start."""
    text = stream.texts[position]
    if text == term.text:
        return 0
    if (term.opener or stream.openers[position]) and text[1:] == term.text[1:] and text[:1].lower() == \
            term.text[:1].lower():
        return CASE
    return None


def _row(term: Term, previous: list[int], grid: _Grid, stream: Stream) -> list[int]:
    """Return the next row: the best way to reach each column from the row above, then insertion runs."""
    from_above = [value + INDEL for value in previous]
    if term.slot:
        for column, run in enumerate(grid.slot_runs):
            if run:
                filled = min(previous[column - run:column])
                if filled < from_above[column]:
                    from_above[column] = filled
    else:
        for column in grid.columns.get(term.key, ()):
            cost = _match_cost(term, grid.lo + column - 1, stream)
            if cost is not None and previous[column - 1] + cost < from_above[column]:
                from_above[column] = previous[column - 1] + cost
    return _with_insertions(from_above, grid)


def _with_insertions(from_above: list[int], grid: _Grid) -> list[int]:
    """Return row[j] = min(from_above[j], min over k < j in j's stretch of from_above[k] + OPEN + INDEL * (j - k)).

    One prefix minimum does it: each stretch is shifted BLOCKED lower than the one
    before, so a run from an earlier stretch always costs more than BLOCKED.
    """
    shifted = [value - step for value, step in zip(from_above, grid.down)]
    best_before = [BLOCKED, *accumulate(shifted[:-1], min)]
    inserted = [before + step for before, step in zip(best_before, grid.up)]
    return [value if value <= other else other for value, other in zip(from_above, inserted)]


def _options(term: Term, index: int, column: int, previous: list[int], grid: _Grid, stream: Stream):
    """Return the ways into (index, column) from the row above, preferred first: (cost, step, column above)."""
    position = grid.lo + column - 1
    options = []
    if term.slot:
        for size in range(grid.slot_runs[column] if column else 0, 0, -1):
            options.append((previous[column - size], Step(SLOT, index - 1, position - size + 1, position + 1),
                            column - size))
    elif column and term.key in grid.columns and column in grid.columns[term.key]:
        cost = _match_cost(term, position, stream)
        if cost is not None:
            options.append((previous[column - 1] + cost, Step(EQUAL, index - 1, position), column - 1))
    options.append((previous[column] + INDEL, Step(DELETE, index - 1), column))
    return options


def _backtrace(terms, rows, grid: _Grid, stream: Stream, column: int) -> tuple[Step, ...]:
    """Return the steps of an optimal path ending in ``column``.

    Ties prefer a match, then a longer slot, then insertions, then a deletion: walking
    backwards, that puts each change's deleted terms before its inserted words.
    """
    steps: list[Step] = []
    index, target = len(terms), rows[-1][column]
    while index > 0:
        options = _options(terms[index - 1], index, column, rows[index - 1], grid, stream)
        chosen = next((o for o in options[:-1] if o[0] == target), None)
        run = None if chosen else _insertion_start(terms[index - 1], index, column, target, rows[index - 1], grid,
                                                   stream)
        if run is not None:
            start, target = run
            steps += [Step(INSERT, None, grid.lo + c - 1) for c in range(column, start, -1)]
            column = start
            continue
        chosen = chosen or options[-1]
        steps.append(chosen[1])
        index, column = index - 1, chosen[2]
        target = rows[index][column]
    return tuple(reversed(steps))


def _insertion_start(term: Term, index: int, column: int, target: int, previous, grid: _Grid, stream: Stream):
    """Return (k, cost into k) for a run of insertions k + 1 .. column reaching ``target``, or None."""
    furthest = max(grid.starts[column], column - max(0, target - OPEN) // INDEL)
    for start in range(column - 1, furthest - 1, -1):
        into = min(o[0] for o in _options(term, index, start, previous, grid, stream))
        if into + OPEN + INDEL * (column - start) == target:
            return start, into
    return None
