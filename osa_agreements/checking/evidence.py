"""Evidence around a match: where it stands, which tracked changes touch it, where a missing clause went."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from osa_agreements.ooxml.records import Block, Comment, DocumentText, Revision
from osa_agreements.checking.align import Alignment, align
from osa_agreements.checking.finding_kinds import IN_COMMENT, IN_DELETION, IN_FURNITURE, IN_HIDDEN_TEXT, LOCATION, TRACKED
from osa_agreements.checking.lexicon import Lexicon
from osa_agreements.checking.candidates import Hits, candidate_regions, exact_occurrences, shingle_hits
from osa_agreements.checking.pattern import Pattern
from osa_agreements.checking.results import Finding, Location
from osa_agreements.checking.text import Stream, build_stream

EXCERPT = 100
MAIN_PART = "document"
RUNNING_TEXT = "body"
PAGE_FURNITURE = frozenset({"header", "footer"})
"""Containers of page furniture: shown on every page, not agreement text."""


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
    return Location(first.part, first.index, last.index, first.number, _excerpt(document, span), first.container,
                    span.begin, span.finish)


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
            before = position == span.first and end < span.begin
            after = position == span.last and revision.start > span.finish
            if not before and not after:
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


@dataclass(frozen=True)
class Hideout:
    """Text that is not agreement text but may hold a lost clause: a stream and how to say where it is."""

    kind: str
    stream: Stream
    describe: Callable[[Alignment], tuple[str, tuple[Revision, ...]]]
    verb: str = "survives only in"


def survivals(patterns: dict[str, list[Pattern]], document: DocumentText, lexicon: Lexicon,
              minimum: float) -> dict[str, tuple[list[Finding], tuple[Revision, ...]]]:
    """Return, for each missing clause, findings saying where its text survives and the deletions holding it.

    ``patterns`` are the wordings of the missing clauses, by clause id. Each kind of
    hideout (tracked deletions, comments, hidden text) is read once for all of them.
    """
    found: dict[str, tuple[list[Finding], tuple[Revision, ...]]] = {cid: ([], ()) for cid in patterns}
    if not patterns:
        return found
    everything = [p for wordings in patterns.values() for p in wordings]
    for hideout in _hideouts(document):
        hits = dict(zip(map(id, everything), shingle_hits(hideout.stream, everything)))
        for clause_id, wordings in patterns.items():
            if any(f.kind == hideout.kind for f in found[clause_id][0]):
                continue
            alignment = best_match(wordings, [hits[id(p)] for p in wordings], hideout.stream, lexicon, minimum)
            where = hideout.describe(alignment) if alignment is not None else None
            if where is not None and (hideout.kind != IN_DELETION or where[1]):
                findings, revisions = found[clause_id]
                message = f"the clause {hideout.verb} {where[0]}{_closeness(alignment.similarity)}"
                found[clause_id] = (findings + [Finding(hideout.kind, message, False)], revisions + where[1])
    return found


def _hideouts(document: DocumentText) -> Iterator[Hideout]:
    """Yield the hideouts the document has: paragraphs before their deletions, deleted text, comments, hidden text.

    Each stream is built only when it is asked for: most drafts lose no clause.
    """
    blocks = document.blocks
    deletions = [r for b in blocks for r in b.revisions if r.kind == "delete"]
    if deletions:
        originals = build_stream([(b.part, b.original or b.accepted) for b in blocks])
        yield Hideout(IN_DELETION, originals, lambda a: _deleted_in_blocks(blocks, originals, a))
        texts = build_stream([(i, r.text) for i, r in enumerate(deletions)])
        yield Hideout(IN_DELETION, texts, lambda a: _deleted(deletions[texts.sources[a.start]]))
    if document.comments:
        notes = build_stream([(i, c.text) for i, c in enumerate(document.comments)])
        yield Hideout(IN_COMMENT, notes, lambda a: _commented(document.comments[notes.sources[a.start]]))
    if any(b.hidden.strip() for b in blocks):
        hidden = build_stream(_hidden_segments(blocks))
        yield Hideout(IN_HIDDEN_TEXT, hidden, lambda a: _hidden(blocks[hidden.sources[a.start]]))
    furniture = [b for b in blocks if b.container in PAGE_FURNITURE]
    if furniture:
        pages = build_stream([(b.part, b.accepted) for b in furniture])
        yield Hideout(IN_FURNITURE, pages, lambda a: _furniture(furniture[pages.sources[a.start]]), "stands only in")


def _deleted_in_blocks(blocks: Sequence[Block], stream: Stream, alignment: Alignment):
    paragraphs = range(stream.sources[alignment.start], stream.sources[alignment.end - 1] + 1)
    deletions = tuple(r for p in paragraphs for r in blocks[p].revisions if r.kind == "delete")
    return f"a tracked deletion {_by(deletions)}", deletions


def _deleted(revision: Revision):
    return f"a tracked deletion {_by([revision])}", (revision,)


def _commented(comment: Comment):
    return f"a comment {_by([comment])}", ()


def _hidden(block: Block):
    return f"hidden text ({block.part} paragraph {block.index})", ()


def _furniture(block: Block):
    page = "page header" if block.container == "header" else "page footer"
    return (f"the {page} ({block.part} paragraph {block.index}); headers and footers are page furniture, "
            "not agreement text"), ()


def _closeness(similarity: float) -> str:
    return "" if similarity >= 1 else f" (similarity {similarity:.2f})"


def best_match(patterns: Sequence[Pattern], hits: Sequence[Hits], stream: Stream, lexicon: Lexicon,
               minimum: float) -> Alignment | None:
    """Return the best alignment of any of the wordings in ``stream`` reaching ``minimum``, or None."""
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


def _hidden_segments(blocks: Sequence[Block]) -> list[tuple[object, str]]:
    """Return the hidden text of each block; only hidden text of neighbouring paragraphs runs on."""
    segments, group = [], 0
    for block in blocks:
        if not block.hidden.strip():
            group += 1
        segments.append(((block.part, group), block.hidden))
    return segments
