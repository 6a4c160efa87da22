"""Evidence around a match: where it stands, which tracked changes touch it, where a missing clause went."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..ooxml.records import Block, Comment, DocumentText, Revision
from .align import Alignment, align
from .lexicon import Lexicon
from .locate import candidate_regions, exact_occurrences, shingle_hits
from .pattern import Pattern
from .results import Finding, Location
from .text import Stream, build_stream

EXCERPT = 100
LOCATION = "location"
TRACKED = "tracked-change"
IN_DELETION = "survives-in-deleted-revision"
IN_COMMENT = "survives-in-comment"
IN_HIDDEN_TEXT = "survives-in-hidden-text"
MAIN_PART = "document"
RUNNING_TEXT = "body"


@dataclass(frozen=True)
class Span:
    """Stream positions ``start`` to ``end`` (exclusive) of a stream built from ``document.blocks``.

    ``first``/``last`` are the positions in ``document.blocks`` of its first and last
    paragraph, ``begin`` the offset of its first character in the first paragraph's
    text, ``finish`` the offset just past its last character in the last one's.
    """

    start: int
    end: int
    first: int
    last: int
    begin: int
    finish: int

    @property
    def blocks(self) -> range:
        """Return the positions in ``document.blocks`` of the first to the last paragraph of the span."""
        return range(self.first, self.last + 1)


def span_of(stream: Stream, start: int, end: int) -> Span:
    """Return the span of stream positions ``start``..``end`` with the paragraphs and offsets it covers."""
    return Span(start, end, stream.sources[start], stream.sources[end - 1], stream.offsets(start)[0],
                stream.offsets(end - 1)[1])


def document_stream(document: DocumentText) -> Stream:
    """Return the stream of the accepted text of every block; parts are separated by barriers."""
    return build_stream([(block.part, block.accepted) for block in document.blocks])


def location(document: DocumentText, span: Span) -> Location:
    """Return where the span stands: part, paragraph range, label, container and an excerpt."""
    first, last = document.blocks[span.first], document.blocks[span.last]
    return Location(first.part, first.index, last.index, first.number, _excerpt(document, span), first.container)


def _excerpt(document: DocumentText, span: Span) -> str:
    pieces, size = [], 0
    for position in span.blocks:
        text = document.blocks[position].accepted
        start = span.begin if position == span.first else 0
        end = span.finish if position == span.last else len(text)
        pieces.append(text[start:end])
        size += end - start
        if size > EXCERPT:
            break
    return " ".join(" ".join(pieces).split())[:EXCERPT].rstrip()


def location_findings(where: Location) -> list[Finding]:
    """Return a non-material finding when the clause stands outside the running text of the Note."""
    if where.part != MAIN_PART:
        return [Finding(LOCATION, f"stands in the {where.part} part (paragraph {where.paragraph}), "
                                  "outside the main text of the Note", False)]
    if where.container != RUNNING_TEXT:
        return [Finding(LOCATION, f"stands in a {where.container} (paragraph {where.paragraph}), "
                                  "not in the running text", False)]
    return []


def touching_revisions(document: DocumentText, span: Span) -> tuple[Revision, ...]:
    """Return the tracked changes whose text or position falls within or touches the span."""
    touching = []
    for position in span.blocks:
        for revision in document.blocks[position].revisions:
            end = revision.start + (len(revision.text) if revision.kind == "insert" else 0)
            if (position == span.first and end < span.begin) or (position == span.last and revision.start > span.finish):
                continue
            touching.append(revision)
    return tuple(touching)


def tracked_findings(revisions: Sequence[Revision]) -> list[Finding]:
    """Return a non-material finding per tracked change: what it did, by whom, when."""
    verbs = {"insert": "inserted", "delete": "deleted"}
    return [Finding(TRACKED, f"{verbs.get(r.kind, r.kind)} '{' '.join(r.text.split())}' ({_who(r)})", False)
            for r in revisions]


def _who(item: Revision | Comment) -> str:
    author = item.author or "unknown author"
    return f"{author}, {item.date[:10]}" if item.date else author


def _by(items: Sequence[Revision | Comment]) -> str:
    people = dict.fromkeys((item.author or "an unknown author", item.date[:10] if item.date else None)
                           for item in items)
    return " and ".join(f"by {a} on {d}" if d else f"by {a}" for a, d in people)


# -- where a missing clause went ---------------------------------------------------------


def survivals(patterns: Sequence[Pattern], document: DocumentText, lexicon: Lexicon,
              minimum: float) -> tuple[list[Finding], tuple[Revision, ...]]:
    """Return findings saying where a clause missing from the text survives, and the deletions holding it."""
    findings, revisions = [], ()
    deleted = _in_deletions(patterns, document, lexicon, minimum)
    if deleted is not None:
        similarity, revisions = deleted
        findings.append(Finding(IN_DELETION, f"the clause survives only in a tracked deletion {_by(revisions)}"
                                             f"{_closeness(similarity)}", False))
    comment = _in_comments(patterns, document, lexicon, minimum)
    if comment is not None:
        findings.append(Finding(IN_COMMENT, f"the clause survives only in a comment {_by([comment[1]])}"
                                            f"{_closeness(comment[0])}", False))
    hidden = _in_hidden_text(patterns, document, lexicon, minimum)
    if hidden is not None:
        findings.append(Finding(IN_HIDDEN_TEXT, f"the clause survives only in hidden text ({hidden[1].part} "
                                                f"paragraph {hidden[1].index}){_closeness(hidden[0])}", False))
    return findings, revisions


def _closeness(similarity: float) -> str:
    return "" if similarity >= 1 else f" (similarity {similarity:.2f})"


def best_match(patterns: Sequence[Pattern], stream: Stream, lexicon: Lexicon,
               minimum: float) -> Alignment | None:
    """Return the best alignment of any of the wordings in ``stream`` reaching ``minimum``, or None."""
    hits = shingle_hits(stream, patterns)
    best = None
    for pattern, pattern_hits in zip(patterns, hits):
        found = exact_occurrences(pattern, pattern_hits, stream, lexicon)
        if found:
            return found[0]
        for region in candidate_regions(pattern, pattern_hits, stream, (), minimum):
            alignment = align(pattern.terms, stream, region, (), lexicon)
            if alignment is not None and (best is None or alignment.similarity > best.similarity):
                best = alignment
    return best if best is not None and best.similarity >= minimum else None


def _in_deletions(patterns, document: DocumentText, lexicon: Lexicon, minimum: float):
    """Return (similarity, deletions) when the clause stands in text that tracked deletions removed."""
    stream = build_stream([(b.part, b.original or b.accepted) for b in document.blocks])
    found = best_match(patterns, stream, lexicon, minimum)
    if found is not None:
        deletions = tuple(r for p in range(stream.sources[found.start], stream.sources[found.end - 1] + 1)
                          for r in document.blocks[p].revisions if r.kind == "delete")
        if deletions:
            return found.similarity, deletions
    deletions = [r for b in document.blocks for r in b.revisions if r.kind == "delete"]
    stream = build_stream([(i, r.text) for i, r in enumerate(deletions)])
    found = best_match(patterns, stream, lexicon, minimum)
    return (found.similarity, (deletions[stream.sources[found.start]],)) if found is not None else None


def _in_comments(patterns, document: DocumentText, lexicon: Lexicon, minimum: float):
    stream = build_stream([(i, c.text) for i, c in enumerate(document.comments)])
    found = best_match(patterns, stream, lexicon, minimum)
    return (found.similarity, document.comments[stream.sources[found.start]]) if found is not None else None


def _in_hidden_text(patterns, document: DocumentText, lexicon: Lexicon, minimum: float):
    stream = build_stream(_hidden_segments(document.blocks))
    found = best_match(patterns, stream, lexicon, minimum)
    return (found.similarity, document.blocks[stream.sources[found.start]]) if found is not None else None


def _hidden_segments(blocks: Sequence[Block]) -> list[tuple[object, str]]:
    """Return the hidden text of each block; only hidden text of neighbouring paragraphs runs on."""
    segments, group = [], 0
    for block in blocks:
        if not block.hidden.strip():
            group += 1
        segments.append(((block.part, group), block.hidden))
    return segments
