"""A redline: RECEIVED carrying every difference from SENT as native Word tracked changes.

The comparing layer says what to mark in plain records (``TextInsertion``,
``MarkInsertion``, ``TextDeletion``). They name a paragraph by its part and its
ordinal: its position among the part's ``w:p`` in reading order, as the reader's
``paragraph_groups`` lists them. Offsets count characters of the paragraph's text
before RECEIVED's own tracked changes (``RedlineParagraph.text``): the text that the
changes of SENT lead to. Those own changes are left as they are, with their authors
and dates, so that rejecting every change gives SENT and accepting every change
gives RECEIVED.

Edits of one paragraph are applied from its end backwards, so that each offset
still means what it meant when the edits were computed.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from osa_agreements.ooxml.annotate import serialise, zip_bytes  # the copy is written as annotate writes its own
from osa_agreements.ooxml.controls import inline_block_controls
from osa_agreements.ooxml.namespaces import (
    NAMESPACES,
    W_AUTHOR,
    W_BR,
    W_DATE,
    W_DEL,
    W_DELTEXT,
    W_ID,
    W_INS,
    W_MOVEFROM,
    W_MOVETO,
    W_NUMID,
    W_NUMPR,
    W_P,
    W_PPR,
    W_PSTYLE,
    W_R,
    W_RPR,
    W_SDTCONTENT,
    W_SDTPR,
    W_T,
    W_TAB,
    W_VAL,
    qn,
)
from osa_agreements.ooxml.reader import OpenedDocument, PlacedParagraph, Story, TextPiece, paragraph_groups, paragraph_pieces, placed_text
from osa_agreements.ooxml.tracked import mark_properties

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_REVISION_WRAPPERS = frozenset({W_INS, W_DEL, W_MOVEFROM, W_MOVETO})
_MARK_REVISIONS = frozenset({W_INS, W_DEL, W_MOVEFROM, W_MOVETO})
_NOT_COPIED = frozenset({qn("w:sectPr"), qn("w:pPrChange")})
W_ID_ELEMENT = qn("w:id")
W_PPRCHANGE = qn("w:pPrChange")
_NOT_INHERITED = frozenset({qn("w:vanish"), qn("w:webHidden"), qn("w:specVanish"), qn("w:rPrChange"),
                            qn("w:rStyle")})
_MARKER = "{urn:osa-agreements:redline}position"


@dataclass(frozen=True)
class RedlineParagraph:
    """One ``w:p`` of RECEIVED: where it stands and its text before RECEIVED's own tracked changes.

    ``block`` is the 1-based index of the accepted-view paragraph (``Block.index``) it is part of;
    ``story`` numbers the cell, text box, note or body it belongs to (paragraph marks only join
    paragraphs of one story); ``mark`` is ``normal``, ``inserted`` or ``deleted``.
    """

    part: str
    ordinal: int
    block: int
    story: int
    text: str
    mark: str
    last_in_story: bool


@dataclass(frozen=True)
class TextInsertion:
    """Characters ``start``..``end`` of a paragraph are not in SENT: marked inserted (moved here, with ``move``)."""

    part: str
    ordinal: int
    start: int
    end: int
    move: str | None = None


@dataclass(frozen=True)
class MarkInsertion:
    """The paragraph's mark is not in SENT: marked inserted (moved here, with ``move``)."""

    part: str
    ordinal: int
    move: str | None = None


@dataclass(frozen=True)
class TextDeletion:
    """SENT's ``segments`` stood at offset ``at`` of a paragraph, separated by paragraph marks.

    Each mark between two segments becomes a deleted paragraph mark of a new paragraph
    taking the paragraph properties of SENT's block ``sources[i]`` (1-based index in the
    same part), or this paragraph's own when it is None. With ``move`` the text is
    marked as moved away (``w:moveFrom``) under that name.
    """

    part: str
    ordinal: int
    at: int
    segments: tuple[str, ...]
    sources: tuple[int | None, ...] = ()
    move: str | None = None


@dataclass(frozen=True)
class PropertiesChange:
    """The paragraph's list numbering or style was that of SENT's block ``sent_block`` (1-based, same part),
    or of RECEIVED's paragraph ``received_ordinal``: tracked as a paragraph property change when it differs."""

    part: str
    ordinal: int
    sent_block: int | None = None
    received_ordinal: int | None = None


Edit = TextInsertion | MarkInsertion | TextDeletion | PropertiesChange


class Redline:
    """RECEIVED opened for marking: its paragraphs as plain records, and the writing of the marked copy."""

    def __init__(self, received: OpenedDocument):
        self._received = received
        self._stories = {story.part.name: story for story in received.stories}
        for story in received.stories:
            inline_block_controls(story.root)  # as the copies osa check writes: LibreOffice keeps them
        groups = {name: _groups(story) for name, story in self._stories.items()}
        self._placed = {name: [placed for group in found for placed in group] for name, found in groups.items()}
        self.paragraphs: dict[str, list[RedlineParagraph]] = {
            name: _records(name, found, self._stories[name], received) for name, found in groups.items()
        }

    def write(self, edits: Iterable[Edit], sent: SentDraft, author: str, date: str) -> bytes:
        """Return the bytes of RECEIVED with ``edits`` marked as tracked changes by ``author`` on ``date``."""
        marking = _Marking(self._received, sent, author, date, _highest_id(self._stories.values()) + 1, self._placed)
        by_paragraph: dict[tuple[str, int], list[Edit]] = {}
        for edit in edits:
            by_paragraph.setdefault((edit.part, edit.ordinal), []).append(edit)
        changed = set()
        for (part, ordinal), paragraph_edits in by_paragraph.items():
            placed = self._placed[part][ordinal]
            # at one offset, SENT's text deleted later in the document is put first, then what preceded it
            for _, edit in sorted(enumerate(paragraph_edits), key=lambda item: (*_order(item[1]), -item[0])):
                placed = marking.apply(part, placed, edit)
            changed.add(part)
        parts = {self._stories[name].part.partname: serialise(self._stories[name].root) for name in changed}
        return zip_bytes(self._received.package, parts)


class SentDraft:
    """SENT as the redline needs it: its paragraphs found once, for their stories and paragraph properties."""

    def __init__(self, sent: OpenedDocument):
        self.document = sent
        self.groups = {story.part.name: _groups(story) for story in sent.stories}

    def block_stories(self) -> dict[str, list[int]]:
        """Return per part, for each accepted-view paragraph, the number of the story its mark stands in.

        A story here is a stretch of paragraphs whose marks may join them: one cell, one note,
        the body between two tables. Paragraph marks never join across a table.
        """
        return {name: _story_numbers([group[-1] for group in groups]) for name, groups in self.groups.items()}


def _story_numbers(placed: list[PlacedParagraph]) -> list[int]:
    """Return, per paragraph, the number of the stretch of consecutive paragraphs of one story it is in."""
    numbers: list[int] = []
    for index, paragraph in enumerate(placed):
        same = index > 0 and placed[index - 1].story is paragraph.story
        numbers.append(numbers[-1] if same else numbers[-1] + 1 if numbers else 0)
    return numbers


def _records(name: str, groups: list[tuple[PlacedParagraph, ...]], story: Story,
             document: OpenedDocument) -> list[RedlineParagraph]:
    placed = [paragraph for group in groups for paragraph in group]
    blocks = [index for index, group in enumerate(groups, start=1) for _ in group]
    originals = _originals(groups, story, document)
    numbers = _story_numbers(placed)
    records = []
    for ordinal, paragraph in enumerate(placed):
        text = originals[ordinal]
        last = ordinal + 1 == len(placed) or numbers[ordinal + 1] != numbers[ordinal]
        records.append(RedlineParagraph(name, ordinal, blocks[ordinal], numbers[ordinal], text, _mark(paragraph), last))
    return records


def _originals(groups: list[tuple[PlacedParagraph, ...]], story: Story, document: OpenedDocument) -> list[str]:
    """Return each ``w:p``'s text before tracked changes: the reader's Block.original when the Block is one ``w:p``."""
    blocks = [block for block in document.text.blocks if block.part == story.part.name]
    originals = []
    for group, block in zip(groups, blocks):
        if len(group) == 1:
            originals.append(block.original)
        else:
            originals.extend(placed_text(placed, story.survey, document.styles).original for placed in group)
    return originals


def _groups(story: Story) -> list[tuple[PlacedParagraph, ...]]:
    return paragraph_groups(story.root, story.part.container, story.survey)


def _mark(placed: PlacedParagraph) -> str:
    if placed.dissolved_by is not None:
        return "deleted"
    properties = placed.element.find(f"{W_PPR}/{W_RPR}")
    if properties is not None and any(child.tag in (W_INS, W_MOVETO) for child in properties):
        return "inserted"
    return "normal"


def _order(edit: Edit) -> tuple[int, int]:
    """Return the sort key applying a paragraph's edits from its end: insertions before deletions at one offset."""
    if isinstance(edit, (MarkInsertion, PropertiesChange)):
        return (-(1 << 62), 0)
    if isinstance(edit, TextInsertion):
        return (-edit.start, 0)
    return (-edit.at, 1)


def _highest_id(stories: Iterable[Story]) -> int:
    values = (value for story in stories for value in story.root.xpath("//@w:id", namespaces=NAMESPACES))
    return max((int(value) for value in values if value.strip().lstrip("-").isdigit()), default=0)


class _Marking:
    """Applies edits to the parsed parts of RECEIVED, numbering the revisions it adds."""

    def __init__(self, received: OpenedDocument, sent: SentDraft, author: str, date: str, next_id: int,
                 placed: dict[str, list[PlacedParagraph]]):
        self._received = received
        self._placed = placed
        self._sent_groups = sent.groups
        self._attributes = {W_AUTHOR: author, W_DATE: date}
        self._next_id = next_id

    def apply(self, part: str, placed: PlacedParagraph, edit: Edit) -> PlacedParagraph:
        """Apply ``edit``; return the paragraph holding the text before it (a new one when a mark split it)."""
        if isinstance(edit, MarkInsertion):
            self._mark_inserted(placed.element)
        elif isinstance(edit, PropertiesChange):
            self._properties_changed(part, placed.element, edit)
        elif isinstance(edit, TextInsertion):
            self._insert(placed, edit)
        else:
            first = self._delete(part, placed, edit)
            if first is not None:
                return placed._replace(element=first, mark_deletion=None)
        return placed

    def _revision(self, tag: str, **extra: str) -> etree._Element:
        return etree.Element(tag, {W_ID: self._new_id(), **self._attributes, **extra})

    def _new_id(self) -> str:
        self._next_id += 1
        return str(self._next_id - 1)

    # -- inserted text and marks -----------------------------------------------------------

    def _insert(self, placed: PlacedParagraph, edit: TextInsertion) -> None:
        paragraph = placed.element
        _boundary(self._pieces(placed), edit.end)
        _boundary(self._pieces(placed), edit.start)
        runs = list(dict.fromkeys(piece.run for piece, start in _offsets(self._pieces(placed))
                                  if piece.state != "inserted" and edit.start <= start < edit.end))
        tag = W_MOVETO if edit.move else W_INS
        wrappers = []
        for run in runs:
            previous = run.getprevious()
            if wrappers and previous is wrappers[-1]:
                previous.append(run)
            else:
                wrapper = self._revision(tag)
                run.addprevious(wrapper)
                wrapper.append(run)
                wrappers.append(wrapper)
        if edit.move and wrappers:
            self._move_range(paragraph, wrappers[0], wrappers[-1], "moveTo", edit.move)

    def _mark_inserted(self, paragraph: etree._Element) -> None:
        """Mark the paragraph's mark inserted; a moved paragraph's too, as LibreOffice keeps a mark marked moved."""
        properties = mark_properties(paragraph)
        if not any(child.tag in (W_INS, W_MOVETO) for child in properties):  # a mark deleted since: inserted, then deleted
            properties.insert(0, self._revision(W_INS))

    def _properties_changed(self, part: str, paragraph: etree._Element, edit: PropertiesChange) -> None:
        """Track the paragraph's style and numbering as changed from the model's, when they differ."""
        if edit.received_ordinal is not None:
            model = self._placed[part][edit.received_ordinal].element.find(W_PPR)
            model = self._sanitised(copy.deepcopy(model)) if model is not None else None
        else:
            model = self._properties(part, paragraph, edit.sent_block)
        model = model if model is not None else etree.Element(W_PPR)
        current = paragraph.find(W_PPR)
        if _numbering_xml(current) == _numbering_xml(model) or (current is not None and current.find(W_PPRCHANGE) is not None):
            return
        for child in [c for c in model if c.tag in (W_RPR, *_NOT_COPIED)]:
            model.remove(child)
        change = self._revision(W_PPRCHANGE)
        change.append(model)
        if current is None:
            current = etree.Element(W_PPR)
            paragraph.insert(0, current)
        following = [child for child in current if child.tag == qn("w:sectPr")]
        if following:
            following[0].addnext(change)
        else:
            current.append(change)

    def _move_range(self, paragraph: etree._Element, first: etree._Element, last: etree._Element,
                    kind: str, name: str) -> None:
        """Put ``w:moveFromRangeStart``/``End`` (or ``moveTo``) around ``first``..``last``."""
        start = self._revision(qn(f"w:{kind}RangeStart"), **{qn("w:name"): name})
        first.addprevious(start)
        last.addnext(etree.Element(qn(f"w:{kind}RangeEnd"), {W_ID: start.get(W_ID)}))

    # -- deleted text and marks ------------------------------------------------------------

    def _delete(self, part: str, placed: PlacedParagraph, edit: TextDeletion) -> etree._Element | None:
        paragraph = placed.element
        _boundary(self._pieces(placed), edit.at)
        marker = _place_marker(paragraph, self._pieces(placed), edit.at, self._new_id)
        model = _run_properties(marker)
        marks = len(edit.segments) - 1
        holders = []
        if marks:
            _lift(paragraph, marker)
            sources = [edit.sources[i] if i < len(edit.sources) else None for i in range(marks)]
            holders = _new_paragraphs(paragraph, marker, [self._properties(part, paragraph, s) for s in sources])
            for segment, holder in zip(edit.segments, holders):
                self._put_deleted(holder, None, segment, edit.move, model)
                mark_properties(holder).insert(0, self._revision(W_DEL))
        self._put_deleted(paragraph, marker, edit.segments[-1], edit.move, model)
        marker.getparent().remove(marker)
        return holders[0] if holders else None

    def _put_deleted(self, paragraph: etree._Element, at: etree._Element | None, text: str, move: str | None,
                     model: etree._Element | None) -> None:
        """Put ``text`` as deleted (or moved-away) text before ``at``, or at the end of ``paragraph``."""
        if not text:
            return
        wrapper = self._revision(W_MOVEFROM if move else W_DEL)
        wrapper.append(_run(text, _visible_copy(model), W_T if move else W_DELTEXT))
        if at is not None:
            at.addprevious(wrapper)
        else:
            paragraph.append(wrapper)
        if move:
            self._move_range(paragraph, wrapper, wrapper, "moveFrom", move)

    def _properties(self, part: str, paragraph: etree._Element, source: int | None) -> etree._Element | None:
        """Return the paragraph properties for a new paragraph: SENT block ``source``'s, else ``paragraph``'s."""
        model = paragraph.find(W_PPR)
        if source is not None and part in self._sent_groups:
            groups = self._sent_groups[part]
            if 1 <= source <= len(groups):
                model = groups[source - 1][-1].element.find(W_PPR)
        return None if model is None else self._sanitised(copy.deepcopy(model))

    def _sanitised(self, properties: etree._Element) -> etree._Element:
        """Return copied paragraph properties without section breaks, revisions, or styles RECEIVED lacks."""
        for child in list(properties):
            if child.tag in _NOT_COPIED:
                properties.remove(child)
            elif child.tag == W_PSTYLE and not self._received.styles.defines(child.get(W_VAL, "")):
                properties.remove(child)
            elif child.tag == W_NUMPR and not self._known_list(child):
                properties.remove(child)
            elif child.tag == W_RPR:
                for mark in [node for node in child if node.tag in _MARK_REVISIONS]:
                    child.remove(mark)
        return properties

    def _known_list(self, numbering: etree._Element) -> bool:
        num_id = numbering.find(W_NUMID)
        value = num_id.get(W_VAL) if num_id is not None else None
        return value == "0" or (value is not None and self._received.numbering.definition(value) is not None)

    def _pieces(self, placed: PlacedParagraph) -> list[TextPiece]:
        return paragraph_pieces(placed.element, self._received.styles, placed.row_deletion)


def _offsets(pieces: list[TextPiece]) -> Iterable[tuple[TextPiece, int]]:
    """Yield each piece with its offset in the text before RECEIVED's own changes (inserted text adds nothing)."""
    offset = 0
    for piece in pieces:
        yield piece, offset
        if piece.state != "inserted":
            offset += len(piece.text)


def _boundary(pieces: list[TextPiece], at: int) -> None:
    """Make sure a run starts at offset ``at``, splitting a run (and its text) when one spans it."""
    for piece, start in _offsets(pieces):
        if piece.state == "inserted" or start + len(piece.text) <= at:
            continue
        if start < at:
            second = etree.Element(piece.element.tag, {_XML_SPACE: "preserve"})
            second.text = piece.text[at - start:]
            piece.element.text = piece.text[: at - start]
            piece.element.set(_XML_SPACE, "preserve")
            piece.element.addnext(second)
            _split_run(piece.run, second)
        elif start == at:
            _split_run(piece.run, piece.element)
        return


def _split_run(run: etree._Element, child: etree._Element) -> None:
    """Move ``child`` and what follows it in ``run`` into a new run right after it (unless ``child`` is first)."""
    before = [node for node in child.itersiblings(preceding=True) if node.tag != W_RPR]
    if not before:
        return
    second = etree.Element(run.tag, dict(run.attrib))
    properties = run.find(W_RPR)
    if properties is not None:
        second.append(copy.deepcopy(properties))
    for node in [child, *child.itersiblings()]:
        second.append(node)
    run.addnext(second)


def _place_marker(paragraph: etree._Element, pieces: list[TextPiece], at: int, new_id) -> etree._Element:
    """Return a marker put where offset ``at`` stands: before the first piece from ``at`` on, else after the last.

    A run must already start at ``at`` (see ``_boundary``). The marker never stands inside
    a revision: one it would fall in is split in two (``new_id()`` numbers the second half).
    """
    marker = etree.Element(_MARKER)
    after = None
    for piece, start in _offsets(pieces):
        if start >= at:
            _outside_revisions(piece.run, paragraph, new_id, before=True).addprevious(marker)
            return marker
        after = piece.run
    if after is not None:
        _outside_revisions(after, paragraph, new_id, before=False).addnext(marker)
    else:
        paragraph.append(marker)
    return marker


def _outside_revisions(run: etree._Element, paragraph: etree._Element, new_id, before: bool) -> etree._Element:
    """Return ``run`` or the revision around it, split so that ``run`` starts it (``before``) or ends it."""
    node = run
    while (parent := node.getparent()) is not None and parent is not paragraph and parent.tag in _REVISION_WRAPPERS:
        rest = list(node.itersiblings()) if not before else [node, *node.itersiblings()]
        if before and node.getprevious() is None or not before and not rest:
            node = parent
            continue
        second = etree.Element(parent.tag, {**dict(parent.attrib), W_ID: new_id()})
        second.extend(rest)
        parent.addnext(second)
        node = second if before else parent
    return node


def _lift(paragraph: etree._Element, marker: etree._Element) -> None:
    """Move ``marker`` up to a child of ``paragraph``: a paragraph splits only between its children.

    A content control, hyperlink or other container the marker stands in is split in
    two at the marker: a copy of it (its properties, without its id) takes what came before.
    """
    while (parent := marker.getparent()) is not paragraph:
        container = parent.getparent() if parent.tag == W_SDTCONTENT else parent
        before = list(marker.itersiblings(preceding=True))[::-1]
        if before:
            container.addprevious(_first_half(container, parent, before))
        parent.remove(marker)
        container.addprevious(marker)


def _first_half(container: etree._Element, holder: etree._Element, before: list) -> etree._Element:
    """Return a copy of ``container`` holding ``before`` (children of ``holder``, its content)."""
    half = etree.Element(container.tag, dict(container.attrib))
    if holder is container:  # a hyperlink, smart tag ...: its properties are copied, its runs shared out
        half.extend(copy.deepcopy(child) for child in before if _is_properties(child))
        half.extend(child for child in before if not _is_properties(child))
        return half
    for child in container:
        if child is holder:
            content = etree.SubElement(half, child.tag)
            content.extend(before)
        elif child.tag == W_SDTPR:
            copied = copy.deepcopy(child)
            for identifier in copied.findall(W_ID_ELEMENT):
                copied.remove(identifier)
            half.append(copied)
    return half


def _is_properties(element: etree._Element) -> bool:
    return isinstance(element.tag, str) and element.tag.endswith("Pr")


def _new_paragraphs(paragraph: etree._Element, marker: etree._Element,
                    properties: list[etree._Element | None]) -> list[etree._Element]:
    """Insert one new paragraph per ``properties`` before ``paragraph``; the first takes what precedes ``marker``."""
    content = [child for child in marker.itersiblings(preceding=True) if child.tag != W_PPR][::-1]
    made = []
    for number, model in enumerate(properties):
        new = etree.Element(W_P)
        new.append(model if model is not None else etree.Element(W_PPR))
        if number == 0:
            new.extend(content)
        paragraph.addprevious(new)
        made.append(new)
    return made


def _run_properties(marker: etree._Element) -> etree._Element | None:
    """Return the run properties of the run nearest ``marker``, to format deleted text like it, or None."""
    for neighbour in (*marker.itersiblings(preceding=True), *marker.itersiblings()):
        run = neighbour if neighbour.tag == W_R else next(neighbour.iter(W_R), None)
        if run is not None and run.find(W_RPR) is not None:
            return run.find(W_RPR)
    return None


def _numbering_xml(properties: etree._Element | None) -> tuple[bytes, ...]:
    """Return the style and list numbering of paragraph properties, as comparable bytes."""
    if properties is None:
        return ()
    return tuple(etree.tostring(child) for child in properties if child.tag in (W_PSTYLE, W_NUMPR))


def _visible_copy(properties: etree._Element | None) -> etree._Element | None:
    """Return a copy of run properties for SENT's deleted text: never hidden, without a formatting change."""
    if properties is None:
        return None
    copied = copy.deepcopy(properties)
    for child in [c for c in copied if c.tag in _NOT_INHERITED]:
        copied.remove(child)
    return copied


def _run(text: str, properties: etree._Element | None, text_tag: str) -> etree._Element:
    """Return a ``w:r`` showing ``text``, tabs and line breaks as Word writes them."""
    run = etree.Element(W_R)
    if properties is not None:
        run.append(properties)
    for index, line in enumerate(text.split("\n")):
        if index:
            etree.SubElement(run, W_BR)
        for number, piece in enumerate(line.split("\t")):
            if number:
                etree.SubElement(run, W_TAB)
            if piece:
                element = etree.SubElement(run, text_tag, {_XML_SPACE: "preserve"})
                element.text = piece
    return run
