"""From aligned paragraphs to what the redline marks: words within paragraphs, and paragraph marks.

A changed region is compared as two streams of tokens (words, spaces, punctuation)
in which a paragraph mark is a token too, so that splitting and merging paragraphs
are insertions and deletions of marks like any word. SENT's side is its accepted
text; RECEIVED's side is the text before RECEIVED's own tracked changes, whose
offsets the redline's edits use, so that RECEIVED's own changes stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import NamedTuple

from osa_agreements.ooxml.records import Block
from osa_agreements.ooxml.redline import Edit, MarkInsertion, PropertiesChange, RedlineParagraph, TextDeletion, TextInsertion
from osa_agreements.comparing import results
from osa_agreements.comparing.align import CHANGED, DELETED, EQUAL, INSERTED, MOVED_AWAY, MOVED_HERE, Region
from osa_agreements.comparing.results import Change

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
MARK = "\x00"
"""The token of a paragraph mark (XML text never holds NUL)."""
SHOWN_MARK = "¶"


class _Token(NamedTuple):
    """A token of one side: its text, the paragraph it is in (SENT block, RECEIVED ordinal), its offsets."""

    text: str
    paragraph: int
    start: int
    end: int


@dataclass(frozen=True)
class PartTexts:
    """One part of both drafts: SENT's blocks, RECEIVED's blocks and its ``w:p`` records, by position."""

    name: str
    sent: Sequence[Block]
    received: Sequence[Block]
    paragraphs: Sequence[RedlineParagraph]
    by_block: Sequence[Sequence[RedlineParagraph]]
    author: str
    date: str

    def joinable(self) -> list[bool]:
        """Return, per RECEIVED block, whether it and the next stand in one story (a mark may join them)."""
        return [index + 1 < len(self.by_block) and self.by_block[index][-1].story == self.by_block[index + 1][0].story
                for index in range(len(self.by_block))]


def region_marks(region: Region, part: PartTexts, moved_from: dict[str, int]) -> tuple[list[Edit], list[Change]]:
    """Return the edits that mark ``region`` in the redline and the changes to report.

    ``moved_from`` gives, per move name, the SENT position the moved paragraph left.
    """
    if region.kind in (EQUAL, CHANGED):
        edits, changes = _changed(region, part) if region.kind == CHANGED or part.received[region.received[0]].revisions \
            else ([], [])
        return edits + _numbering(region, part), changes
    if region.kind in (DELETED, MOVED_AWAY):
        return _deleted(region, part)
    if region.kind == MOVED_HERE and _movable(part.by_block[region.received[0]]):
        return _inserted(region, part, moved_from.get(region.move or ""))
    return _inserted(Region(INSERTED, (), region.received, region.at), part, None)


def _numbering(region: Region, part: PartTexts) -> list[Edit]:
    """Return a properties change for a paragraph whose list label differs from SENT's (the writer keeps
    it only when the paragraph's own numbering differs, not when paragraphs before it were added)."""
    if len(region.sent) != 1 or len(region.received) != 1:
        return []
    sent, received = part.sent[region.sent[0]], part.received[region.received[0]]
    if sent.number == received.number:
        return []
    return [PropertiesChange(part.name, part.by_block[region.received[0]][-1].ordinal, region.sent[0] + 1)]


def _movable(paragraphs: Sequence[RedlineParagraph]) -> bool:
    return len(paragraphs) == 1 and paragraphs[0].mark == "normal"


# -- changed paragraphs: a word diff ---------------------------------------------------------


def _changed(region: Region, part: PartTexts) -> tuple[list[Edit], list[Change]]:
    paragraphs = [paragraph for j in region.received for paragraph in part.by_block[j]]
    if len(region.sent) == len(paragraphs) == 1 and part.sent[region.sent[0]].accepted == paragraphs[0].text:
        return [], []  # RECEIVED's own tracked changes make all the difference
    sent = _sent_tokens([part.sent[i] for i in region.sent], region.sent)
    received = _received_tokens(paragraphs)
    edits: list[Edit] = []
    changes: list[Change] = []
    for tag, i1, i2, j1, j2 in _opcodes([t.text for t in sent], [t.text for t in received]):
        if tag == "equal":
            continue
        edits.extend(_insertions(part.name, received[j1:j2]))
        if i2 > i1:
            edits.append(_deletion(part.name, sent[i1:i2], received, j1, paragraphs))
        change = _word_change(part, tag, sent, received, (i1, i2, j1, j2), paragraphs, region)
        if change.kind != results.SPACING or not any(c.kind == results.SPACING for c in changes):
            changes.append(change)  # spacing is marked everywhere, reported once per paragraph
    return edits, changes


def _opcodes(first: list[str], second: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Return difflib's opcodes turning ``first`` into ``second``, the common start and end set aside first.

    Most changed paragraphs differ in a few words: the matcher then sees only those.
    """
    start = 0
    while start < len(first) and start < len(second) and first[start] == second[start]:
        start += 1
    end = 0
    while end < len(first) - start and end < len(second) - start and first[-1 - end] == second[-1 - end]:
        end += 1
    middle = SequenceMatcher(None, first[start:len(first) - end], second[start:len(second) - end], autojunk=False)
    return [(tag, i1 + start, i2 + start, j1 + start, j2 + start)
            for tag, i1, i2, j1, j2 in middle.get_opcodes() if tag != "equal"]


def _sent_tokens(blocks: Sequence[Block], positions: Sequence[int]) -> list[_Token]:
    tokens = []
    for number, (block, position) in enumerate(zip(blocks, positions)):
        tokens.extend(_Token(m.group(), position, m.start(), m.end()) for m in _TOKEN.finditer(block.accepted))
        if number + 1 < len(blocks):
            tokens.append(_Token(MARK, position, len(block.accepted), len(block.accepted)))
    return tokens


def _received_tokens(paragraphs: Sequence[RedlineParagraph]) -> list[_Token]:
    """Return RECEIVED's tokens: each ``w:p``'s text before its own changes, and the marks that text has."""
    tokens = []
    for number, paragraph in enumerate(paragraphs):
        tokens.extend(_Token(m.group(), paragraph.ordinal, m.start(), m.end()) for m in _TOKEN.finditer(paragraph.text))
        if number + 1 < len(paragraphs) and paragraph.mark != "inserted":
            tokens.append(_Token(MARK, paragraph.ordinal, len(paragraph.text), len(paragraph.text)))
    return tokens


def _insertions(part: str, tokens: Sequence[_Token], move: str | None = None) -> list[Edit]:
    """Return the edits marking ``tokens`` of RECEIVED inserted: one per stretch of one paragraph, one per mark."""
    edits: list[Edit] = []
    stretch: list[_Token] = []
    for token in [*tokens, None]:
        if stretch and (token is None or token.text == MARK or token.paragraph != stretch[0].paragraph):
            edits.append(TextInsertion(part, stretch[0].paragraph, stretch[0].start, stretch[-1].end, move))
            stretch = []
        if token is not None and token.text == MARK:
            edits.append(MarkInsertion(part, token.paragraph, move))
        elif token is not None:
            stretch.append(token)
    return edits


def _deletion(part: str, deleted: Sequence[_Token], received: Sequence[_Token], at: int,
              paragraphs: Sequence[RedlineParagraph]) -> TextDeletion:
    """Return the edit putting SENT's ``deleted`` tokens before RECEIVED's token ``at`` (or at the end)."""
    if at < len(received):
        token = received[at]
        ordinal, offset = token.paragraph, token.start
    else:
        ordinal, offset = paragraphs[-1].ordinal, len(paragraphs[-1].text)
    segments, sources = _segments(deleted)
    return TextDeletion(part, ordinal, offset, segments, sources)


def _segments(tokens: Sequence[_Token]) -> tuple[tuple[str, ...], tuple[int | None, ...]]:
    """Return the texts between marks, and per mark the 1-based SENT block it ends."""
    segments, sources, current = [], [], []
    for token in tokens:
        if token.text == MARK:
            segments.append("".join(current))
            sources.append(token.paragraph + 1)
            current = []
        else:
            current.append(token.text)
    segments.append("".join(current))
    return tuple(segments), tuple(sources)


def _word_change(part: PartTexts, tag: str, sent: Sequence[_Token], received: Sequence[_Token], span: tuple,
                 paragraphs: Sequence[RedlineParagraph], region: Region) -> Change:
    i1, i2, j1, j2 = span
    before, after = _shown(sent[i1:i2]), _shown(received[j1:j2])
    ordinal = received[min(j1, len(received) - 1)].paragraph if received else paragraphs[-1].ordinal
    kind = {"replace": results.REPLACED, "insert": results.INSERTED, "delete": results.DELETED}[tag]
    if not before.replace(SHOWN_MARK, "").strip() and not after.replace(SHOWN_MARK, "").strip():
        marks = SHOWN_MARK in before or SHOWN_MARK in after
        kind = (results.SPLIT if SHOWN_MARK in after else results.MERGED) if marks else results.SPACING
    lead = _lead(sent, i1)
    before, after = lead + before, lead + after
    sent_block = sent[min(i1, len(sent) - 1)].paragraph if sent else region.sent[0]
    return _change(part, kind, part.paragraphs[ordinal].block, sent_block + 1, before, after)


def _lead(tokens: Sequence[_Token], at: int) -> str:
    """Return the word before token ``at`` with the space after it, to quote a change in its context."""
    start = at
    while start > 0 and tokens[start - 1].text.isspace():
        start -= 1
    if start == 0 or tokens[start - 1].text == MARK or start == at and at == 0:
        return ""
    return "".join(token.text for token in tokens[start - 1:at])


def _shown(tokens: Sequence[_Token]) -> str:
    return "".join(SHOWN_MARK if token.text == MARK else token.text for token in tokens)


def _change(part: PartTexts, kind: str, block: int | None, sent_block: int | None, before: str, after: str) -> Change:
    number = part.received[block - 1].number if block is not None and block <= len(part.received) else None
    return Change(kind, part.name, block, number, sent_block, before, after, part.author, part.date, False, None)


# -- whole paragraphs deleted, inserted or moved ---------------------------------------------


def _deleted(region: Region, part: PartTexts) -> tuple[list[Edit], list[Change]]:
    texts = [part.sent[i].accepted for i in region.sent]
    blocks = tuple(i + 1 for i in region.sent)
    previous = part.by_block[region.at - 1][-1] if region.at > 0 else None
    following = part.by_block[region.at][0] if region.at < len(part.by_block) else None
    if following is not None and (previous is None or previous.story == following.story):
        edit = TextDeletion(part.name, following.ordinal, 0, (*texts, ""), blocks, region.move)
        block = following.block
    elif previous is not None:
        edit = TextDeletion(part.name, previous.ordinal, len(previous.text), ("", *texts), (None, *blocks[:-1]),
                            region.move)
        block = previous.block
    else:
        return [], [_change(part, results.PARAGRAPH_DELETED, None, blocks[0], "\n".join(texts), "")]
    if region.kind == MOVED_AWAY:
        return [edit], []  # reported once, where the paragraph went
    changes = [_change(part, results.PARAGRAPH_DELETED, block, i, part.sent[i - 1].accepted, "") for i in blocks]
    return [edit], changes


def _inserted(region: Region, part: PartTexts, moved_from: int | None) -> tuple[list[Edit], list[Change]]:
    move = region.move if moved_from is not None else None
    paragraphs = [paragraph for j in region.received for paragraph in part.by_block[j]]
    edits: list[Edit] = [TextInsertion(part.name, p.ordinal, 0, len(p.text), move) for p in paragraphs if p.text]
    edits.extend(MarkInsertion(part.name, p.ordinal, move) for p in paragraphs if p.mark != "inserted")
    kind = results.MOVED if move else results.PARAGRAPH_INSERTED
    changes = [_change(part, kind, j + 1, None if moved_from is None else moved_from + 1, "",
                       part.received[j].accepted) for j in region.received]
    return edits, changes


def end_of_story_marks(edits: list[Edit], paragraphs: Sequence[RedlineParagraph]) -> list[Edit]:
    """Return ``edits`` with no inserted mark on the last paragraph of a story (cell, note, body).

    That mark cannot go when the changes are rejected. When SENT's deleted paragraphs
    stand right before that paragraph, the last of them takes its place (its text goes
    into the paragraph, whose mark serves it); otherwise the mark of the nearest
    paragraph before it that stays is marked inserted instead. Either way rejecting
    gives SENT's paragraphs.
    """
    marked = {edit.ordinal: edit for edit in edits if isinstance(edit, MarkInsertion)}
    last_marks = [edit for ordinal, edit in marked.items() if paragraphs[ordinal].last_in_story]
    if not last_marks:
        return edits
    stories: dict[int, list[RedlineParagraph]] = {}
    for paragraph in paragraphs:
        stories.setdefault(paragraph.story, []).append(paragraph)
    kept = [edit for edit in edits if not (isinstance(edit, MarkInsertion) and paragraphs[edit.ordinal].last_in_story)]
    deletions_before = {edit.ordinal: index for index, edit in enumerate(kept) if _deletes_before(edit)}
    for edit in last_marks:
        if edit.ordinal in deletions_before:
            _take_place(kept, deletions_before[edit.ordinal])
            continue
        story = stories[paragraphs[edit.ordinal].story]
        before = next((p for p in reversed(story[:-1]) if p.ordinal not in marked), None)
        if before is not None and before.mark != "inserted":
            kept.append(MarkInsertion(edit.part, before.ordinal, edit.move))
            kept.append(PropertiesChange(edit.part, edit.ordinal, received_ordinal=before.ordinal))
    return kept


def _deletes_before(edit: Edit) -> bool:
    """Return whether ``edit`` puts whole deleted paragraphs of SENT before its paragraph."""
    return (isinstance(edit, TextDeletion) and edit.at == 0 and len(edit.segments) > 1
            and edit.segments[-1] == "")


def _take_place(edits: list[Edit], index: int) -> None:
    """Let the last of the deleted paragraphs of ``edits[index]`` go into its paragraph, whose mark serves it."""
    edit = edits[index]
    edits[index] = TextDeletion(edit.part, edit.ordinal, 0, edit.segments[:-1], edit.sources[:-1], edit.move)
