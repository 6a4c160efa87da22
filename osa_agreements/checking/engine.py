"""The checking engine: for every library clause, present, modified or missing, with evidence.

normalise (text) -> locate (locate, align) -> compare -> classify, on plain records.

1. The accepted text of all blocks becomes one stream of words; parts are kept apart.
2. Every wording of every clause is looked for: exact occurrences first (linear, from
   the rarest shingle), then a small alignment in each candidate region.
3. Conflicts are resolved globally: exact matches claim their words first, then the
   others best first; a match whose words were claimed meanwhile is aligned again
   without them. Two clauses never share words.
4. Without a programme, each placeholder takes the value most clauses agree on; the
   matched words are compared with the wording holding the expected values.
5. Findings say what changed and whether it weakens or changes the obligation.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from ..library import Clause, ClauseLibrary
from ..ooxml.records import DocumentText
from .align import MAX_SLOT, SLOT, Alignment, Region, align
from .classify import Context, classify, qualifiers_after
from .compare import (Pair, Values, diff_ops, expand, is_unchanged, next_sentence, pairs_similarity,
                      sentence_extension, value_terms, with_extension)
from .evidence import (MAIN_PART, Span, document_stream, location, location_findings, span_of, survivals,
                       touching_revisions, tracked_findings)
from .lexicon import Lexicon, lexicon_path, load_lexicon
from .locate import candidate_regions, clip, exact_occurrences, hinted_region, shingle_hits
from .pattern import Pattern, clause_patterns, pattern_of, wording_terms
from .results import MISSING, MODIFIED, PRESENT, ClauseResult, Finding
from .text import Stream, join_tokens

FOUND = 0.5
"""Below this similarity a clause has no counterpart: it is missing."""
COPY = 0.8
"""A second counterpart at least this similar is a copy of the clause."""
CLAUSE_TAG = "osa-clause:"
PLACES_SHOWN = 5
MISSING_KIND = "missing"
DUPLICATE_KIND = "duplicate"


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


def check_text(document: DocumentText, library: ClauseLibrary, values: dict[str, str] | None = None, *,
               lexicon: Lexicon | None = None) -> tuple[ClauseResult, ...]:
    """Return one verdict per library clause, mandatory clauses first, then the others by id.

    ``values`` are the programme's placeholder values; None means no programme is
    known, so a placeholder matches any value the document holds consistently.
    ``lexicon`` defaults to the library's lexicon.yaml.
    """
    lexicon = lexicon or load_lexicon(lexicon_path(library))
    stream = document_stream(document)
    draft = Draft(document, stream, lexicon, clause_hints(document))
    clauses = clause_order(library)
    patterns = [p for clause in clauses for p in clause_patterns(clause, values)]
    found, closest, claimed = locate_clauses(draft, patterns)
    expected = {} if values is not None else consensus(found, stream)
    reference = "the programme" if values is not None else "the rest of the document"
    return tuple(
        judge(clause, found.get(clause.id, []), draft, expected, reference, claimed)
        if clause.id in found else missing(clause, [p for p in patterns if p.clause.id == clause.id], draft,
                                           closest.get(clause.id, 0.0))
        for clause in clauses
    )


def clause_order(library: ClauseLibrary) -> tuple[Clause, ...]:
    """Return the mandatory clauses in their fixed order, then the other clauses sorted by id."""
    mandatory = library.mandatory()
    ids = {c.id for c in mandatory}
    return mandatory + tuple(sorted((c for c in library.clauses.values() if c.id not in ids), key=lambda c: c.id))


def clause_hints(document: DocumentText) -> dict[str, tuple[int, ...]]:
    """Return, by clause id, the blocks a drafting tag says hold the clause (a hint, never proof)."""
    hints: dict[str, list[int]] = {}
    for position, block in enumerate(document.blocks):
        if block.clause_tag and block.clause_tag.startswith(CLAUSE_TAG):
            hints.setdefault(block.clause_tag[len(CLAUSE_TAG):].split("@")[0], []).append(position)
    return {k: tuple(v) for k, v in hints.items()}


# -- locating every clause, conflicts resolved globally ------------------------------------


def locate_clauses(draft: Draft, patterns: Sequence[Pattern]):
    """Return ({clause id: matches}, {clause id: closest similarity seen}, claimed positions)."""
    hits = shingle_hits(draft.stream, patterns)
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
        for region in _regions(pattern, hits[index], draft, found, claimed):
            alignment = align(pattern.terms, draft.stream, region, claimed, draft.lexicon)
            if alignment is None:
                continue
            closest[clause_id] = max(closest.get(clause_id, 0.0), alignment.similarity)
            if alignment.similarity >= FOUND:
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


# -- placeholder values without a programme ------------------------------------------------


def consensus(found: dict[str, list[Match]], stream: Stream) -> Values:
    """Return, for each placeholder, the value most clauses agree on (ties: the earliest in the text)."""
    votes: dict[str, dict[tuple[str, ...], tuple[set[str], int, int]]] = {}
    for clause_id, matches in found.items():
        for match in matches:
            for step in match.alignment.steps:
                if step.op == SLOT:
                    name = match.pattern.terms[step.term].placeholder
                    value = stream.texts[step.doc:step.end]
                    clauses, start, end = votes.setdefault(name, {}).setdefault(value, (set(), step.doc, step.end))
                    clauses.add(clause_id)
                    if step.doc < start:
                        votes[name][value] = (clauses, step.doc, step.end)
    chosen = {}
    for name, options in votes.items():
        _, start, end = min(options.values(), key=lambda o: (-len(o[0]), o[1]))
        chosen[name] = value_terms(stream, start, end, name)
    return chosen


# -- verdicts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Compared:
    """One counterpart compared with the library: its word pairs, findings and span."""

    match: Match
    pairs: list[Pair]
    findings: list[Finding]
    span: Span

    @property
    def unchanged(self) -> bool:
        """Return True when the words are the library's and nothing material was found."""
        return is_unchanged(self.pairs) and not any(f.material for f in self.findings)


def judge(clause: Clause, matches: list[Match], draft: Draft, expected: Values, reference: str,
          claimed: Collection[int]) -> ClauseResult:
    """Return the verdict on a clause that has at least one counterpart."""
    primary, *copies = sorted(matches, key=lambda m: _preference(m, draft))
    compared = compare(primary, draft, expected, reference, claimed)
    where = location(draft.document, compared.span)
    revisions = touching_revisions(draft.document, compared.span)
    findings = (compared.findings + _copy_findings(compared, copies, draft, expected, reference, claimed)
                + location_findings(where) + tracked_findings(revisions))
    material = any(f.material for f in findings)
    status = PRESENT if is_unchanged(compared.pairs) and not material else MODIFIED
    return ClauseResult(clause.id, clause.title, clause.mandatory, status, material, tuple(findings), where,
                        diff_ops(compared.pairs, draft.stream) if status == MODIFIED else (),
                        primary.pattern.variant, pairs_similarity(compared.pairs), revisions)


def _preference(match: Match, draft: Draft) -> tuple:
    """Return a sort key: exact before aligned, main text before other parts, tagged first, closest first."""
    block_position = draft.stream.sources[match.alignment.start]
    block = draft.document.blocks[block_position]
    hinted = block_position in draft.hints.get(match.pattern.clause.id, ())
    return (not match.alignment.exact, block.part != MAIN_PART, not hinted, -match.alignment.similarity,
            match.alignment.start)


def compare(match: Match, draft: Draft, expected: Values, reference: str, claimed: Collection[int]) -> Compared:
    """Return the counterpart compared with its wording (holding the expected values), with findings."""
    match = settled(match, draft, expected, claimed)
    stream, alignment = draft.stream, match.alignment
    before, after = sentence_extension(alignment, stream, claimed)
    pairs = with_extension(expand(match.pattern.terms, alignment, stream, expected), before, after)
    span = span_of(stream, before[0] if before else alignment.start, after[-1] + 1 if after else alignment.end)
    context = Context(match.pattern.clause, draft.lexicon, stream, reference)
    findings = classify(pairs, context) + qualifiers_after(next_sentence(span.end, stream, claimed), context)
    return Compared(match, pairs, findings, span)


def settled(match: Match, draft: Draft, expected: Values, claimed: Collection[int]) -> Match:
    """Return the match aligned again with the expected values written in, when a slot holds another value.

    A slot is a wildcard, good for finding a clause and reading its values; once the
    values are known, the words are compared without wildcards.
    """
    if _holds_expected(match, draft.stream, expected):
        return match
    pattern = match.pattern
    values = {name: join_tokens((t.text, t.spaced) for t in expected.get(name, ()))
              or "{{ %s }}" % name for name in pattern.wording.placeholders()}
    literal = pattern_of(pattern.clause, pattern.wording, pattern.rank, wording_terms(pattern.wording, values))
    start, end = match.alignment.start, match.alignment.end
    region = match.region or clip(draft.stream, start - MAX_SLOT, end + MAX_SLOT, start)
    again = align(literal.terms, draft.stream, region, _ClaimedElsewhere(claimed, start, end), draft.lexicon)
    return Match(literal, again, region) if again is not None and again.similarity >= FOUND else match


def _holds_expected(match: Match, stream: Stream, expected: Values) -> bool:
    """Return True when every slot of the match holds the expected value of its placeholder."""
    for step in match.alignment.steps:
        term = match.pattern.terms[step.term] if step.term is not None else None
        if term is None or not term.slot:
            continue
        value = expected.get(term.placeholder, ())
        if step.op != SLOT or tuple(t.text for t in value) != stream.texts[step.doc:step.end]:
            return False
    return True


@dataclass(frozen=True)
class _ClaimedElsewhere:
    """The claimed positions, less the span ``start``..``end`` of the match being aligned again."""

    claimed: Collection[int]
    start: int
    end: int

    def __contains__(self, position: object) -> bool:
        return position in self.claimed and not self.start <= position < self.end


def _copy_findings(primary: Compared, copies: list[Match], draft: Draft, expected: Values, reference: str,
                   claimed: Collection[int]) -> list[Finding]:
    """Return a finding on the other counterparts: how often the clause appears, and copies that differ."""
    same_words = [_identical(m, draft, expected, claimed) for m in copies]
    identical = [m for m, same in zip(copies, same_words) if same]
    others = [compare(m, draft, expected, reference, claimed) for m, same in zip(copies, same_words) if not same]
    same = [primary.span.start] + [m.alignment.start for m in identical] + [c.span.start for c in others
                                                                          if c.unchanged]
    findings = []
    if len(same) > 1:
        findings.append(Finding(DUPLICATE_KIND, f"appears {len(same)} times ({_places(same, draft)})", False))
    for other in (c for c in others if not c.unchanged):
        material = [f for f in other.findings if f.material]
        detail = f": {material[0].message}" if material else ""
        findings.append(Finding(DUPLICATE_KIND, f"a differing copy stands at {_place(other.span.start, draft)} (similarity "
                                                f"{pairs_similarity(other.pairs):.2f}){detail}", bool(material)))
    return findings


def _identical(match: Match, draft: Draft, expected: Values, claimed: Collection[int]) -> bool:
    """Return True, cheaply, when a copy has the library's words, holds the expected values and is not limited."""
    alignment, stream = match.alignment, draft.stream
    if not alignment.exact or not _holds_expected(match, stream, expected):
        return False
    if sentence_extension(alignment, stream, claimed) != ([], []):
        return False
    following = [stream.keys[p] for p in next_sentence(alignment.end, stream, claimed)]
    return not draft.lexicon.qualifiers.find(following)


def _places(starts: list[int], draft: Draft) -> str:
    """Return where the counterparts starting at ``starts`` stand, the first few of them."""
    shown = [_place(start, draft) for start in sorted(starts)[:PLACES_SHOWN]]
    more = len(starts) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")


def _place(start: int, draft: Draft) -> str:
    block = draft.document.blocks[draft.stream.sources[start]]
    return f"{block.part} paragraph {block.index}"


def missing(clause: Clause, patterns: list[Pattern], draft: Draft, closest: float) -> ClauseResult:
    """Return the verdict on a clause with no counterpart, saying where its text survives, if anywhere."""
    what = "mandatory clause" if clause.mandatory else "clause"
    closeness = f" (closest similarity {closest:.2f})" if closest else ""
    findings = [Finding(MISSING_KIND, f"{what} has no counterpart in the agreement text{closeness}",
                        clause.mandatory)]
    survived, revisions = survivals(patterns, draft.document, draft.lexicon, FOUND)
    findings += survived
    return ClauseResult(clause.id, clause.title, clause.mandatory, MISSING, clause.mandatory, tuple(findings),
                        None, (), None, closest, revisions)
