"""The whole agreement: every sentence accounted for, overrides found wherever they stand, comments listed.

Works after the clauses are located (``engine.Checker.review``):

1. A sentence none of whose words a clause claimed belongs to no library clause;
   unless its paragraph is a line of the Note's frame (``frame.py``), it is added
   text, reported with its place and the author of the tracked insertion.
2. Those sentences, and the page headers and footers, are read for overrides
   (``overrides.py``); each is a material finding on the mandatory clause it
   affects, which is then not present.
3. The Note must agree with itself (``consistency.py``): a disagreement is a
   material finding on the clause holding it, or on the agreement.
4. The counterpart's comments are listed with the clause they are anchored on;
   clause tags the library does not know are reported.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from osa_agreements.library.clauses import ClauseLibrary
from osa_agreements.ooxml.records import Block, Comment, DocumentText
from osa_agreements.checking import finding_kinds as kinds
from osa_agreements.checking.consistency import Disagreement, disagreements
from osa_agreements.checking.evidence import EXCERPT, PAGE_FURNITURE
from osa_agreements.checking.frame import Frame
from osa_agreements.checking.overrides import (DEFINITION, POINTER, WEAKER, Override, OverrideWords, Scan, Sentence,
                        find_overrides, quoted)
from osa_agreements.checking.reading import Reading as ObligationReading
from osa_agreements.checking.results import (MODIFIED, PRESENT, AddedText, AgreementReview, ClauseResult, DraftComment, Finding, Location,
                      OverrideFinding)
from osa_agreements.checking.text import Stream, build_stream

FURNITURE = PAGE_FURNITURE
FINDING_QUOTE = 90
"""How much of an overriding sentence a finding on the clause quotes (the overrides list has it whole)."""
FRAME_LENGTH = 400
"""A paragraph longer than this is never a line of the Note's frame."""
_KIND_OF = {POINTER: kinds.OVERRIDE, WEAKER: kinds.WEAKER_ELSEWHERE, DEFINITION: kinds.REDEFINED}
_VERB_OF = {POINTER: "overridden by", WEAKER: "weakened by", DEFINITION: "a term it depends on redefined by"}
_TAG = re.compile(r"^osa-clause:([^@/]*)(?:@([^/]*))?(?:/(.*))?$")


def is_furniture(block: Block) -> bool:
    """Return True for a paragraph of a page header or footer."""
    return block.container in FURNITURE


def agreement_text(document: DocumentText) -> DocumentText:
    """Return ``document`` without its page furniture: the text the agreement is made of."""
    blocks = tuple(b for b in document.blocks if b.container not in FURNITURE)
    return document if len(blocks) == len(document.blocks) else replace(document, blocks=blocks)


@dataclass(frozen=True)
class Agreement:
    """What judging the whole agreement needs, once the clauses are located and judged."""

    document: DocumentText
    """The whole draft, page furniture included."""
    blocks: tuple[Block, ...]
    """The agreement text: ``document`` without page furniture; the stream is built from it."""
    stream: Stream
    claimed: Sequence[int]
    """The stream positions the clauses claimed, sorted."""
    results: tuple[ClauseResult, ...]
    clause_blocks: dict[int, tuple[str, ...]]
    """By block position, the clauses with a counterpart or a copy there."""
    library: ClauseLibrary
    words: OverrideWords
    frame: Frame
    values: dict[str, str] | None
    obligations: ObligationReading | None = None
    """The obligation reader, when the library describes its provisions' obligations."""
    names: tuple[str, ...] = ()
    """The names the draft gives the recipient (its full name, the country's)."""


def judge_agreement(agreement: Agreement) -> AgreementReview:
    """Return the review of the whole agreement: clause results with overrides and disagreements applied."""
    holders = _clause_holders(agreement)
    unaccounted = list(_unaccounted(agreement, holders))
    overrides = _overrides(agreement, holders, unaccounted)
    disagreeing = disagreements(agreement.blocks, agreement.values)
    results = _with_findings(agreement.results, overrides, disagreeing, holders, lambda p: _block_at(p, agreement))
    return AgreementReview(
        clauses=results,
        added=_added_texts(agreement.blocks, unaccounted, overrides),
        overrides=tuple(_override_record(o, agreement) for o in overrides),
        comments=tuple(_comment(c, agreement, holders) for c in agreement.document.comments),
        findings=tuple(_agreement_findings(disagreeing, holders, agreement.blocks))
        + tuple(unknown_tags(agreement.blocks, agreement.library)),
    )


# -- which clause stands where -------------------------------------------------------------


def _clause_holders(agreement: Agreement) -> dict[int, tuple[ClauseResult, ...]]:
    """Return, by block position, the located clauses standing in that paragraph."""
    place = {(b.part, b.index): position for position, b in enumerate(agreement.blocks)}
    holders: dict[int, list[ClauseResult]] = {}
    for result in agreement.results:
        where = result.location
        if where is None:
            continue
        for index in range(where.paragraph, where.last_paragraph + 1):
            if (where.part, index) in place:
                holders.setdefault(place[where.part, index], []).append(result)
    return {position: tuple(found) for position, found in holders.items()}


def _preceding_clauses(blocks: Sequence[Block], placed: dict[int, tuple[str, ...]]) -> list[str | None]:
    """Return, by block position, the id of the last clause standing before it (None before the first)."""
    last, before = None, []
    for position in range(len(blocks)):
        before.append(last)
        if position in placed:
            last = placed[position][-1]
    return before


# -- sentences no clause claimed ------------------------------------------------------------


def _unaccounted(agreement: Agreement, holders: dict[int, tuple[ClauseResult, ...]]) -> Iterator[Sentence]:
    """Yield each sentence of the agreement text none of whose words a clause claimed, outside the frame.

    A paragraph where a clause was found without its words (its obligation read in
    other words) belongs to that clause.
    """
    stream, claimed = agreement.stream, agreement.claimed
    after = _preceding_clauses(agreement.blocks, agreement.clause_blocks)
    for position, block in enumerate(agreement.blocks):
        first, end = stream.spans[position]
        if first == end:
            continue
        taken = bisect.bisect_left(claimed, end) - bisect.bisect_left(claimed, first)
        if taken == end - first or (not taken and position in holders):
            continue
        if not taken and len(block.accepted) <= FRAME_LENGTH and agreement.frame.accounts(block.accepted,
                                                                                            after[position]):
            continue
        if not taken and not agreement.words.may_override(stream.keys[first:end]):
            yield Sentence(position, first, end, stream, plain=True)  # nothing to read in it: one piece is enough
            continue
        for start, stop in _sentences(stream, first, end):
            if not taken or bisect.bisect_left(claimed, stop) == bisect.bisect_left(claimed, start):
                yield Sentence(position, start, stop, stream)


def _sentences(stream: Stream, first: int, end: int) -> Iterator[tuple[int, int]]:
    """Yield the [start, stop) stream positions of each sentence (or list item) of one block."""
    openers, start = stream.openers, first
    for position in range(first + 1, end):
        if openers[position]:
            yield start, position
            start = position
    yield start, end


def _added_texts(blocks: Sequence[Block], unaccounted: list[Sentence],
                 overrides: list[Override]) -> tuple[AddedText, ...]:
    """Return the added text, one entry per run of unaccounted sentences, with the clauses each overrides."""
    affected: dict[tuple[int, int], list[str]] = {}
    for override in overrides:
        affected.setdefault((override.sentence.block, override.sentence.start), []).append(override.clause)
    return tuple(_added(blocks[run[0].block], run, [c for s in run for c in affected.get((s.block, s.start), ())])
                 for run in _runs(unaccounted))


def _runs(sentences: list[Sentence]) -> Iterator[list[Sentence]]:
    """Yield the sentences in runs: one paragraph, each sentence following the one before without a gap."""
    run: list[Sentence] = []
    for sentence in sentences:
        if run and (sentence.block != run[-1].block or sentence.start != run[-1].stop):
            yield run
            run = []
        run.append(sentence)
    if run:
        yield run


def _added(block: Block, run: list[Sentence], overrides: Sequence[str]) -> AddedText:
    """Return the added text of one run of sentences: the whole paragraph, or where in it the run stands."""
    first, last = run[0], run[-1]
    whole = (first.start, last.stop) == first.stream.spans[first.block]
    text = block.accepted if whole else _first_words(run)
    where = _location(block, text, None if whole else _offsets(first.stream, first.start, last.stop))
    authors = tuple(dict.fromkeys(r.author or "unknown author" for r in block.revisions if r.kind == "insert")
                    ) if block.revisions else ()
    return AddedText(where, authors, tuple(dict.fromkeys(overrides)))


def _offsets(stream: Stream, start: int, stop: int) -> tuple[int, int]:
    """Return the character offsets, in their paragraph, of stream positions ``start`` to ``stop``."""
    return stream.offsets(start)[0], stream.offsets(stop - 1)[1]


def _first_words(sentences: list[Sentence]) -> str:
    """Return the text of the first sentences, as much as an excerpt shows."""
    pieces, size = [], 0
    for sentence in sentences:
        if size > EXCERPT:
            break
        pieces.append(sentence.text)
        size += len(pieces[-1]) + 1
    return " ".join(pieces)


def _location(block: Block, text: str, offsets: tuple[int, int] | None = None) -> Location:
    begin, finish = offsets if offsets is not None else (0, None)
    return Location(block.part, block.index, block.index, block.number, quoted(text, EXCERPT), block.container,
                    begin, finish)


# -- overrides ----------------------------------------------------------------------------------


def _overrides(agreement: Agreement, holders, unaccounted: list[Sentence]) -> list[Override]:
    """Return the overrides in the unaccounted sentences and in the page furniture."""
    blocks = agreement.blocks
    mandatory = {position: tuple(r.id for r in found if r.mandatory) for position, found in holders.items()}
    reading = Scan(agreement.words, blocks, mandatory, agreement.obligations, agreement.names)
    return find_overrides([*unaccounted, *_furniture_sentences(agreement)], reading)


def _furniture_sentences(agreement: Agreement) -> list[Sentence]:
    """Return the sentences of the page headers and footers; their block positions follow the agreement's."""
    furniture = [b for b in agreement.document.blocks if b.container in FURNITURE]
    if not furniture:
        return []
    stream = build_stream([(b.part, b.accepted) for b in furniture])
    offset = len(agreement.blocks)
    return [Sentence(offset + i, a, b, stream)
            for i, (first, end) in enumerate(stream.spans) if first < end for a, b in _sentences(stream, first, end)]


def _block_at(position: int, agreement: Agreement) -> Block:
    if position < len(agreement.blocks):
        return agreement.blocks[position]
    return [b for b in agreement.document.blocks if is_furniture(b)][position - len(agreement.blocks)]


def _override_record(override: Override, agreement: Agreement) -> OverrideFinding:
    sentence = override.sentence
    block = _block_at(sentence.block, agreement)
    return OverrideFinding(override.clause, override.kind, override.reason, quoted(sentence.text),
                           _location(block, sentence.text, _offsets(sentence.stream, sentence.start, sentence.stop)))


def _override_finding(override: Override, block: Block) -> Finding:
    message = (f"{_VERB_OF[override.kind]} {_place(block)}: '{quoted(override.sentence.text, FINDING_QUOTE)}' "
               f"({override.reason})")
    return Finding(_KIND_OF[override.kind], message, True)


def _place(block: Block) -> str:
    number = f" ({block.number})" if block.number else ""
    container = "" if block.container in ("body", *FURNITURE) else f" {block.container}"
    furniture = " (page furniture)" if is_furniture(block) else ""
    return f"{block.part}{container} ¶{block.index}{number}{furniture}"


# -- findings on the clauses --------------------------------------------------------------------


def _with_findings(results: tuple[ClauseResult, ...], overrides: list[Override], disagreeing: list[Disagreement],
                   holders, block_at: Callable[[int], Block]) -> tuple[ClauseResult, ...]:
    """Return the results with each override and disagreement added to the clause it concerns."""
    extra: dict[str, list[Finding]] = {}
    for override in overrides:
        extra.setdefault(override.clause, []).append(_override_finding(override, block_at(override.sentence.block)))
    for disagreement in disagreeing:
        for result in holders.get(disagreement.block, ())[:1]:
            extra.setdefault(result.id, []).append(Finding(kinds.INCONSISTENT, disagreement.message, True))
    return tuple(_judged_again(r, extra[r.id]) if r.id in extra else r for r in results)


def _judged_again(result: ClauseResult, findings: list[Finding]) -> ClauseResult:
    material = any(f.material for f in findings) or result.material
    status = MODIFIED if result.status == PRESENT else result.status
    return replace(result, status=status, material=material, findings=result.findings + tuple(findings))


def _agreement_findings(disagreeing: list[Disagreement], holders, blocks: Sequence[Block]) -> list[Finding]:
    """Return the disagreements standing outside every clause (the date line, added text)."""
    return [Finding(kinds.INCONSISTENT, d.message, True) for d in disagreeing if d.block not in holders]


def unknown_tags(blocks: Sequence[Block], library: ClauseLibrary) -> list[Finding]:
    """Return a finding per clause tag naming a clause the library lacks, or a newer version of one."""
    findings, seen = [], set()
    for block in blocks:
        tagged = _TAG.match(block.clause_tag or "")
        if tagged is None or tagged.groups() in seen:
            continue
        seen.add(tagged.groups())
        problem = _tag_problem(*tagged.groups(), library)
        if problem is not None:
            findings.append(Finding(kinds.UNKNOWN_TAG, f"{_place(block)} is tagged as {problem}", False))
    return findings


def _tag_problem(clause_id: str, version: str | None, variant: str | None, library: ClauseLibrary) -> str | None:
    """Return what the checking library lacks of a clause tag, or None when it knows all of it."""
    clause = library.clauses.get(clause_id)
    if clause is None:
        return f"clause '{clause_id}', which clause library {library.version} does not have"
    if version and _newer(version, clause.version):
        return f"{clause_id} {version}, newer than the {clause.version} of clause library {library.version}"
    if variant and variant not in {a.variant for a in clause.alternatives}:
        return f"{clause_id} in the wording '{variant}', which clause library {library.version} does not have"
    return None


def _newer(version: str, than: str) -> bool:
    try:
        return tuple(map(int, version.split("."))) > tuple(map(int, than.split(".")))
    except ValueError:
        return version != than


# -- comments ------------------------------------------------------------------------------------


def _comment(comment: Comment, agreement: Agreement, holders) -> DraftComment:
    """Return the comment with the paragraph and clause it is anchored on."""
    position = next((p for p, b in enumerate(agreement.blocks)
                     if (b.part, b.index) == (comment.part, comment.paragraph)), None)
    block = agreement.blocks[position] if position is not None else None
    clause = holders.get(position, ())[:1]
    return DraftComment(comment.author, comment.date, comment.text, comment.part, comment.paragraph,
                        block.number if block is not None else None, clause[0].id if clause else None)
