"""The text a .docx would have signed, with its places: Word XML in, plain records out.

What counts is the *accepted view*: the document as Word displays it once every
tracked change is accepted. Each paragraph becomes a ``Block`` carrying that text,
the text before the changes (``original``), its hidden text, its revisions, its
list label and where it stands (part, 1-based index, container).

Paragraphs are found by one walk (``placed_paragraphs``) and grouped into
accepted-view paragraphs by ``paragraph_groups``; the annotator uses the same two
functions, so an index written in a report names the paragraph a comment lands on.

Deleted paragraph marks: a paragraph whose mark is deleted merges with the next
paragraph of the same story (body, cell, text box, note) into one Block. A
paragraph whose text and mark are all deleted therefore disappears from the
accepted view, and its text stays findable in the next Block's ``original`` and
in a ``delete`` revision at offset 0. Every deleted mark is itself recorded as a
``delete`` revision of ``"\\n"`` at the offset where the paragraphs join, and
``original`` joins the merged paragraphs with ``"\\n"``. Rows deleted as a tracked
change dissolve the same way into the next paragraph after them. The merged Block
takes its list label from its last paragraph, whose mark survives, as in Word.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from lxml import etree

from osa_agreements.ooxml.namespaces import (
    MC_ALTERNATE_CONTENT,
    MC_CHOICE,
    MC_FALLBACK,
    REL_COMMENTS,
    REL_CORE_PROPERTIES,
    REL_CUSTOM_PROPERTIES,
    REL_ENDNOTES,
    REL_FOOTER,
    REL_FOOTNOTES,
    REL_HEADER,
    REL_NUMBERING,
    REL_STYLES,
    R_ID,
    W_ALTCHUNK,
    W_AUTHOR,
    W_BR,
    W_CHAR,
    W_COMMENT,
    W_COMMENT_RANGE_START,
    W_COMMENT_REFERENCE,
    W_CR,
    W_DATE,
    W_DEL,
    W_DELINSTRTEXT,
    W_DELTEXT,
    W_DOCUMENT,
    W_ENDNOTE,
    W_FLDCHAR,
    W_FLDCHARTYPE,
    W_FOOTER_REFERENCE,
    W_FOOTNOTE,
    W_HEADER_REFERENCE,
    W_ID,
    W_INS,
    W_INSTRTEXT,
    W_MOVEFROM,
    W_MOVETO,
    W_NOBREAKHYPHEN,
    W_NUMPR,
    W_P,
    W_PPR,
    W_PSTYLE,
    W_PTAB,
    W_R,
    W_RPR,
    W_RSTYLE,
    W_RT,
    W_SDT,
    W_SDTPR,
    W_SOFTHYPHEN,
    W_SYM,
    W_T,
    W_TAB,
    W_TAG,
    W_TBL,
    W_TC,
    W_TR,
    W_TRPR,
    W_TXBXCONTENT,
    W_TYPE,
    W_VAL,
    W_VANISH,
    qn,
)
from osa_agreements.ooxml.numbering import ListLabeller, NumberingDefinitions, StyleSheet, on_off
from osa_agreements.ooxml.package import Limits, Package, open_package, parse_xml
from osa_agreements.ooxml.records import Block, Comment, DocumentText, Revision

CLAUSE_TAG_PREFIX = "osa-clause:"
_DELETED_ROWS = "deleted rows"
_NORMAL, _INSERTED, _DELETED, _INVISIBLE = range(4)
_DELETIONS = frozenset({W_DEL, W_MOVEFROM})
_INSERTIONS = frozenset({W_INS, W_MOVETO})
_OPAQUE = frozenset({W_TXBXCONTENT, W_RT, W_P})
_BRANCHES = frozenset({MC_CHOICE, MC_FALLBACK})
_CHARACTERS = {W_TAB: "\t", W_PTAB: "\t", W_BR: "\n", W_CR: "\n", W_NOBREAKHYPHEN: "-", W_SOFTHYPHEN: ""}
_STORY_STARTS = frozenset({W_TC, W_TXBXCONTENT, W_FOOTNOTE, W_ENDNOTE, W_COMMENT})
_CONTAINERS = {W_TBL: "table", W_TXBXCONTENT: "textbox"}
_NOTES = frozenset({W_FOOTNOTE, W_ENDNOTE})
_NOTE_KINDS = frozenset({None, "normal"})
_SECTION_REFERENCES = (W_HEADER_REFERENCE, W_FOOTER_REFERENCE)
_COMMENT_MARKS = (W_COMMENT_RANGE_START, W_COMMENT_REFERENCE)
_MARK_PROPERTIES = frozenset({W_DEL, W_MOVEFROM, W_INS, W_MOVETO, W_VANISH})
CAREFUL_TAGS = (
    W_INS, W_DEL, W_MOVEFROM, W_MOVETO, W_DELTEXT, W_FLDCHAR, W_INSTRTEXT, W_DELINSTRTEXT,
    W_VANISH, W_RT, MC_ALTERNATE_CONTENT, W_TXBXCONTENT, W_SYM, *_CHARACTERS,
)  # fmt: skip
"""Tags that make a paragraph need the careful, run-by-run reading."""


@dataclass(frozen=True)
class StoryPart:
    """A part whose paragraphs are agreement text: ``name`` as in Block.part, the zip ``partname``."""

    name: str
    partname: str
    container: str


class PlacedParagraph(NamedTuple):
    """A ``w:p`` found in reading order, with where it stands.

    ``story`` identifies the cell, text box, note or part body it belongs to.
    ``mark_deletion`` is the ``w:del`` of its paragraph mark, ``row_deletion``
    that of the table row it stands in (its whole text is then deleted).
    A NamedTuple because one is made per paragraph on the hot path.
    """

    element: etree._Element
    container: str
    story: object
    clause_tag: str | None
    mark_deletion: etree._Element | None
    row_deletion: etree._Element | None

    @property
    def dissolved_by(self) -> etree._Element | None:
        """Return the deletion that merges this paragraph into the next one, or None when it stands."""
        return self.mark_deletion if self.mark_deletion is not None else self.row_deletion


class ParagraphText(NamedTuple):
    """The text of one ``w:p`` in both views, before paragraphs are merged."""

    accepted: str
    original: str
    hidden: str
    revisions: tuple[Revision, ...]


@dataclass(frozen=True)
class _Context:
    styles: StyleSheet
    numbering: NumberingDefinitions
    careful_tags: tuple[str, ...]


def read_document(path: Path | Package, limits: Limits = Limits()) -> DocumentText:
    """Return the accepted-view text of the .docx at ``path`` (or of a package already opened), with its places.

    Raises DocumentError when the file is not a readable Word document or exceeds ``limits``.
    """
    return open_document(path, limits).text


@dataclass(frozen=True)
class OpenedDocument:
    """A .docx read once: its accepted-view ``text`` and what was parsed to make it, for writing a copy."""

    package: Package
    stories: list[Story]
    styles: StyleSheet
    numbering: NumberingDefinitions
    text: DocumentText


def open_document(path: Path | Package, limits: Limits = Limits()) -> OpenedDocument:
    """Return the .docx at ``path`` read as ``read_document`` reads it, keeping its package and parsed parts."""
    package = path if isinstance(path, Package) else open_package(path, limits)
    context = _context(package)
    stories = open_stories(package, context.careful_tags)
    text = DocumentText(
        blocks=tuple(block for story in stories for block in _story_blocks(story, context)),
        comments=_comments(package, context, _comment_anchors(stories)),
        properties=_properties(package),
        warnings=(*package.warnings, *(warning for story in stories for warning in _content_warnings(package, story))),
        sha256=package.sha256,
    )
    return OpenedDocument(package, stories, context.styles, context.numbering, text)


def read_main_text(path: Path, limits: Limits = Limits()) -> tuple[Block, ...]:
    """Return the paragraphs of the main document part alone, read without its styles and numbering.

    Cheaper than ``read_document`` (no list labels, no hidden text by style, no other
    parts): for reading the fixed lines of a Word template.
    """
    package = open_package(path, limits)
    styles = StyleSheet(None)
    context = _Context(styles, NumberingDefinitions(None, styles), CAREFUL_TAGS)
    story = _open_story(package, StoryPart("document", package.main_part, "body"), CAREFUL_TAGS)
    return tuple(_story_blocks(story, context))


@dataclass(frozen=True)
class Story:
    """A part of agreement text opened for reading: where it stands, its survey, its XML.

    The survey comes before the root so that it is released first: lxml frees
    thousands of paragraph proxies far faster while the root proxy still lives.
    """

    part: StoryPart
    survey: PartSurvey
    root: etree._Element


def open_stories(package: Package, careful_tags: tuple[str, ...] = CAREFUL_TAGS) -> list[Story]:
    """Return the parts Word shows as text, parsed and surveyed: the document, then its headers, footers, notes.

    Headers and footers count when a section of the document refers to them, as Word shows no other.
    """
    main = _open_story(package, StoryPart("document", package.main_part, "body"), careful_tags)
    others = _other_parts(package, main.survey.section_references)
    return [main, *(_open_story(package, part, careful_tags) for part in others)]


def _open_story(package: Package, part: StoryPart, careful_tags: tuple[str, ...]) -> Story:
    root = story_root(package, part)
    return Story(part, PartSurvey(root, careful_tags), root)


def _other_parts(package: Package, section_references: list[str]) -> list[StoryPart]:
    """Return the headers and footers the sections refer to, by name, then the footnotes and endnotes."""
    main = package.main_part
    parts = []
    for rel_type, container in ((REL_HEADER, "header"), (REL_FOOTER, "footer")):
        targets = {
            rel.target
            for rel in package.relationships(main)
            if rel.type == rel_type and not rel.external and rel.id in section_references
        }
        found = sorted(((_stem(target), target) for target in targets if package.info(target) is not None), key=_natural)
        parts.extend(StoryPart(name, target, container) for name, target in found)
    for rel_type, name in ((REL_FOOTNOTES, "footnote"), (REL_ENDNOTES, "endnote")):
        target = package.related_part(main, rel_type)
        if target is not None:
            parts.append(StoryPart(f"{name}s", target, name))
    return parts


def story_root(package: Package, part: StoryPart) -> etree._Element:
    """Return the root element of ``part``, refusing a main part that is not transitional WordprocessingML."""
    root = package.read_xml(part.partname)
    if part.container == "body" and root.tag != W_DOCUMENT:
        raise package.refusal(_not_wordprocessingml(part.partname, root))
    return root


def _not_wordprocessingml(partname: str, root: etree._Element) -> str:
    namespace = etree.QName(root).namespace or ""
    if "purl.oclc.org/ooxml" in namespace:
        return (
            f"{partname} is saved as Strict Open XML, which this tool does not read; "
            "save it in Word as 'Word Document (.docx)'"
        )
    return f"{partname} is not a WordprocessingML document; open it in Word or LibreOffice and save it as .docx"


def _stem(partname: str) -> str:
    return posixpath.splitext(posixpath.basename(partname))[0]


def _natural(item: tuple[str, str]) -> tuple[str, int]:
    """Return a sort key putting ``header2`` before ``header10``."""
    name = item[0]
    digits = len(name) - len(name.rstrip("0123456789"))
    return (name[: len(name) - digits], int(name[len(name) - digits :] or 0))


class PartSurvey:
    """What two passes over a part tell about its paragraphs, so that nothing later searches the XML.

    ``order`` lists every ``w:p`` in document order; for each, ``texts`` holds its
    ``w:t`` pieces, ``styles`` and ``numbering`` its direct style id and
    ``w:numPr``; ``section_references`` the relationship ids of the headers and
    footers the sections show. ``careful`` holds the paragraphs whose text needs reading run by
    run (tracked changes, fields, hidden text, text boxes, tabs and breaks): their
    pieces are not their text. Deleted paragraph marks and inline clause tags are
    recorded too. An lxml traversal of a large part costs about what the baseline
    pays for its own, so there are only two: one for paragraphs and their text,
    one for the careful tags (nearly free when the part has none of them).
    """

    def __init__(self, root: etree._Element, careful_tags: tuple[str, ...] = CAREFUL_TAGS):
        self.order: list[etree._Element] = []
        self.texts: dict[etree._Element, list[str]] = {}
        self.styles: dict[etree._Element, str | None] = {}
        self.numbering: dict[etree._Element, etree._Element] = {}
        self.section_references: list[str] = []
        self._scan(root)
        self.paragraphs: set[etree._Element] = set(self.order)
        self.careful: set[etree._Element] = set()
        self.mark_deletions: dict[etree._Element, etree._Element] = {}
        self.clause_tags: dict[etree._Element, str] = {}
        self.comment_anchors: dict[str, etree._Element] = {}
        for element in root.iter(W_SDT, *_COMMENT_MARKS, *careful_tags):
            self._note(element)

    def _scan(self, root: etree._Element) -> None:
        paragraph = None
        pieces: list[str] = []
        for element in root.iter(W_P, W_T, W_PSTYLE, W_NUMPR, *_SECTION_REFERENCES):
            tag = element.tag
            if tag == W_T:
                pieces.append(element.text or "")
            elif tag == W_P:
                paragraph = element
                self.order.append(element)
                pieces = self.texts[element] = []
            elif tag in _SECTION_REFERENCES:
                self.section_references.append(element.get(R_ID, ""))
            elif element.getparent().getparent() is paragraph:  # set on the paragraph, not a past version
                if tag == W_PSTYLE:
                    self.styles[paragraph] = element.get(W_VAL)
                else:
                    self.numbering[paragraph] = element

    def _note(self, element: etree._Element) -> None:
        tag = element.tag
        if tag == W_SDT:
            self._note_inline_control(element)
        elif tag in _COMMENT_MARKS:
            self._note_comment_anchor(element)
        elif tag == W_TXBXCONTENT:
            self._note_textbox(element)
        elif not self._note_mark(element, tag):
            self._note_careful(element)

    def _note_mark(self, element: etree._Element, tag: str) -> bool:
        """Record a property of a paragraph mark (``w:pPr/w:rPr/...``); return False when it is not one."""
        properties = element.getparent()
        paragraph_properties = properties.getparent() if properties.tag == W_RPR else None
        if paragraph_properties is None or paragraph_properties.tag != W_PPR or tag not in _MARK_PROPERTIES:
            return False
        if tag in _DELETIONS and paragraph_properties.getparent() in self.paragraphs:
            self.mark_deletions[paragraph_properties.getparent()] = element
        return True

    def _note_inline_control(self, sdt: etree._Element) -> None:
        tag = _clause_tag(sdt)
        paragraph = self._enclosing_paragraph(sdt) if tag is not None else None
        if paragraph is not None:
            self.clause_tags.setdefault(paragraph, tag)

    def _note_comment_anchor(self, mark: etree._Element) -> None:
        """Record the paragraph a comment is anchored on: where its range starts, else its reference."""
        paragraph = self._enclosing_paragraph(mark)
        if paragraph is None:  # a range starting between paragraphs anchors on the next one
            paragraph = next((p for sibling in mark.itersiblings() for p in sibling.iter(W_P)), None)
        if paragraph is not None:
            self.comment_anchors.setdefault(mark.get(W_ID, ""), paragraph)

    def _note_textbox(self, box: etree._Element) -> None:
        self._note_careful(box)
        self.careful.update(box.iter(W_P))

    def _note_careful(self, element: etree._Element) -> None:
        paragraph = self._enclosing_paragraph(element)
        if paragraph is not None:
            self.careful.add(paragraph)

    def _enclosing_paragraph(self, element: etree._Element) -> etree._Element | None:
        node = element.getparent()
        while node is not None and node not in self.paragraphs:
            node = node.getparent()
        return node


def placed_paragraphs(
    root: etree._Element, container: str, survey: PartSurvey | None = None
) -> Iterator[PlacedParagraph]:
    """Yield every paragraph under ``root`` in reading order, with where it stands.

    Reading order is document order: tables row by row and cell by cell (nested
    tables in place), content controls through their content, the paragraphs of a
    text box right after the paragraph anchoring it. Paragraphs in the branch of an
    ``mc:AlternateContent`` that is not read, and in separator notes, are left out.
    """
    survey = survey if survey is not None else PartSurvey(root)
    places: dict[etree._Element, _Place | None] = {}
    for paragraph in survey.order:
        parent = paragraph.getparent()
        place = places[parent] if parent in places else places.setdefault(parent, _place(parent, root, container))
        if place is not None:
            yield PlacedParagraph(
                paragraph,
                place.container,
                place.story if place.row_deletion is None else _DELETED_ROWS,
                place.clause_tag or survey.clause_tags.get(paragraph),
                survey.mark_deletions.get(paragraph),
                place.row_deletion,
            )


class _Place(NamedTuple):
    """Where the paragraphs of one parent element stand; found once per parent."""

    container: str
    story: object
    clause_tag: str | None
    row_deletion: etree._Element | None


def _place(parent: etree._Element, root: etree._Element, base: str) -> _Place | None:
    """Return where paragraphs under ``parent`` stand, or None when they are not read at all."""
    container = story = tag = row_deletion = None
    for node in _ancestors(parent, root):
        name = node.tag
        if _unread(node, name):
            return None
        container = container or _CONTAINERS.get(name)
        if story is None and name in _STORY_STARTS:
            story = node
        if tag is None and name == W_SDT:
            tag = _clause_tag(node)
        elif name == W_TR:
            row_deletion = node.find(f"{W_TRPR}/{W_DEL}") if row_deletion is None else row_deletion
    return _Place(container or base, story if story is not None else root, tag, row_deletion)


def _ancestors(element: etree._Element, root: etree._Element) -> Iterator[etree._Element]:
    """Yield ``element`` and its ancestors up to ``root`` included."""
    node = element
    while node is not None:
        yield node
        if node is root:
            return
        node = node.getparent()


def _unread(node: etree._Element, name: str) -> bool:
    """Return whether what ``node`` holds is not read: a branch not chosen, a separator note."""
    if name in _BRANCHES:
        return chosen_branch(node.getparent()) is not node
    return name in _NOTES and node.get(W_TYPE) not in _NOTE_KINDS


def _clause_tag(sdt: etree._Element) -> str | None:
    tag = sdt.find(f"{W_SDTPR}/{W_TAG}")
    value = tag.get(W_VAL, "") if tag is not None else ""
    return value if value.startswith(CLAUSE_TAG_PREFIX) else None


def chosen_branch(alternate: etree._Element) -> etree._Element | None:
    """Return the one branch of ``mc:AlternateContent`` to read: the Choice unless only the Fallback has a text box."""
    choices = [child for child in alternate if child.tag == MC_CHOICE]
    fallback = next((child for child in alternate if child.tag == MC_FALLBACK), None)
    for choice in choices:
        if _has_textbox(choice):
            return choice
    if fallback is not None and _has_textbox(fallback):
        return fallback
    return choices[0] if choices else fallback


def _has_textbox(element: etree._Element) -> bool:
    return next(element.iter(W_TXBXCONTENT), None) is not None


def paragraph_groups(
    root: etree._Element, container: str, survey: PartSurvey | None = None
) -> list[tuple[PlacedParagraph, ...]]:
    """Return the accepted-view paragraphs under ``root``: position i is the Block of index i + 1.

    Each group is one or more ``w:p``: those whose mark (or row) was deleted, then
    the paragraph they merge into.
    """
    groups: list[list[PlacedParagraph]] = []
    open_groups: dict[object, list[PlacedParagraph]] = {}
    for placed in placed_paragraphs(root, container, survey):
        group = None
        if open_groups:
            group = open_groups.pop(placed.story, None) or open_groups.pop(_DELETED_ROWS, None)
        if group is None:
            group = []
            groups.append(group)
        group.append(placed)
        if placed.mark_deletion is not None or placed.row_deletion is not None:
            open_groups[placed.story] = group
    return [tuple(group) for group in groups]


def _story_blocks(story: Story, context: _Context) -> list[Block]:
    survey, part = story.survey, story.part
    label = ListLabeller(context.numbering, context.styles).label
    blocks = []
    for index, group in enumerate(paragraph_groups(story.root, part.container, survey), start=1):
        last = group[-1]
        style = survey.styles.get(last.element)
        number = label(style, survey.numbering.get(last.element))
        if len(group) == 1 and _is_plain(last, style, survey, context.styles):
            text = "".join(survey.texts[last.element])
            blocks.append(Block(part.name, index, text, text, "", number, last.container, last.clause_tag, ()))
        else:
            texts = [placed_text(placed, survey, context.styles) for placed in group]
            blocks.append(_block(part.name, index, group, texts, number))
    return blocks


def _is_plain(placed: PlacedParagraph, style: str | None, survey: PartSurvey, styles: StyleSheet) -> bool:
    """Return whether the survey's pieces are the paragraph's text (nothing changed, hidden, nested, or special)."""
    if placed.element in survey.careful or placed.row_deletion is not None:
        return False
    return not (styles.hides_text and styles.paragraph_hidden(style))


def placed_text(placed: PlacedParagraph, survey: PartSurvey, styles: StyleSheet) -> ParagraphText:
    """Return the text of a placed paragraph: its ``w:t`` when it is plain, else read run by run."""
    if _is_plain(placed, survey.styles.get(placed.element), survey, styles):
        text = "".join(survey.texts[placed.element])
        return ParagraphText(text, text, "", ())
    return paragraph_text(placed.element, styles, placed.row_deletion)


def _block(part: str, index: int, group: tuple[PlacedParagraph, ...], texts: list[ParagraphText], number: str | None) -> Block:
    revisions: list[Revision] = []
    offset = 0
    for placed, text in zip(group, texts):
        revisions.extend(_shifted(revision, offset) for revision in text.revisions)
        offset += len(text.accepted)
        if placed.dissolved_by is not None:
            revisions.append(_revision("delete", placed.dissolved_by, "\n", offset))
    return Block(
        part=part,
        index=index,
        accepted="".join(text.accepted for text in texts),
        original="\n".join(text.original for text in texts),
        hidden="".join(text.hidden for text in texts),
        number=number,
        container=group[-1].container,
        clause_tag=next((placed.clause_tag for placed in group if placed.clause_tag), None),
        revisions=tuple(revisions),
    )


def _shifted(revision: Revision, offset: int) -> Revision:
    if not offset:
        return revision
    return Revision(revision.kind, revision.author, revision.date, revision.text, revision.start + offset)


def _revision(kind: str, element: etree._Element, text: str, start: int) -> Revision:
    return Revision(kind, element.get(W_AUTHOR), element.get(W_DATE), text, start)


def paragraph_text(
    paragraph: etree._Element, styles: StyleSheet, row_deletion: etree._Element | None = None
) -> ParagraphText:
    """Return the text of one ``w:p`` as accepted, as original, and hidden, with its revisions.

    With ``row_deletion`` (the ``w:del`` of a deleted table row) all its text counts as deleted.
    """
    return _ParagraphReader(paragraph, styles, row_deletion).read()


class TextPiece(NamedTuple):
    """One piece of a paragraph's visible text: the ``w:t`` (or tab, break ...) showing it, inside ``run``.

    ``state`` is ``"normal"``, ``"inserted"`` or ``"deleted"`` as a tracked change leaves it.
    """

    element: etree._Element
    run: etree._Element
    text: str
    state: str


_STATE_NAMES = {_NORMAL: "normal", _INSERTED: "inserted", _DELETED: "deleted"}


def paragraph_pieces(
    paragraph: etree._Element, styles: StyleSheet, row_deletion: etree._Element | None = None
) -> list[TextPiece]:
    """Return the visible text of one ``w:p`` piece by piece, in order, as ``paragraph_text`` reads it.

    Hidden text, field instructions and text of nested paragraphs (text boxes) are left out.
    """
    reader = _ParagraphReader(paragraph, styles, row_deletion)
    reader.pieces = []
    reader.read()
    return reader.pieces


class RunPlace(NamedTuple):
    """A run of a paragraph as the accepted view shows it: its [start, end) offsets, its state."""

    run: etree._Element
    start: int
    end: int
    deleted: bool


def run_places(paragraph: etree._Element, styles: StyleSheet, offset: int = 0) -> list[RunPlace]:
    """Return every run of ``paragraph`` the reader reads, in order, with its offsets in the accepted text.

    A run whose text is deleted, hidden or a field instruction has ``start == end``;
    offsets begin at ``offset``, so that the paragraphs of a merged Block count on.
    """
    reader = _ParagraphReader(paragraph, styles, None)
    reader.read()
    return [RunPlace(run, offset + start, offset + end, deleted) for run, start, end, deleted in reader.places]


class _ParagraphReader:
    """Collects the text of one paragraph run by run; used once, by ``paragraph_text``."""

    def __init__(self, paragraph: etree._Element, styles: StyleSheet, row_deletion: etree._Element | None):
        self._paragraph = paragraph
        self._styles = styles
        self._row_deletion = row_deletion
        self._accepted: list[str] = []
        self._length = 0
        self._original: list[str] = []
        self._hidden: list[str] = []
        self._revisions: list[list] = []  # [kind, element, start, text pieces, end offset in accepted]
        self._fields: list[bool] = []  # open complex fields: True once their result has begun
        self._instructions = 0  # how many open fields are still in their instruction
        self.places: list[tuple[etree._Element, int, int, bool]] = []
        self.pieces: list[TextPiece] | None = None  # recorded only for paragraph_pieces

    def read(self) -> ParagraphText:
        hidden_by_default = self._styles.hides_text and _paragraph_hidden(self._paragraph, self._styles)
        for run in self._paragraph.iter(W_R):
            state, revision = _run_state(run, self._paragraph)
            if self._row_deletion is not None:
                state, revision = _within_deleted_row(state, revision, self._row_deletion)
            if state != _INVISIBLE:
                start = self._length
                self._read_run(run, state, revision, _run_hidden(run, hidden_by_default, self._styles))
                self.places.append((run, start, self._length, state == _DELETED))
        revisions = [_revision(kind, element, "".join(parts), start) for kind, element, start, parts, _ in self._revisions]
        return ParagraphText("".join(self._accepted), "".join(self._original), "".join(self._hidden), tuple(revisions))

    def _read_run(self, run: etree._Element, state: int, revision, hidden: bool) -> None:
        for child in run:
            tag = child.tag
            if tag == W_T or (tag == W_DELTEXT and state == _DELETED):
                text = child.text or ""
            elif tag in _CHARACTERS:
                text = _CHARACTERS[tag]
            elif tag == W_SYM:
                text = _symbol(child)
            elif tag == W_FLDCHAR:
                self._field(child.get(W_FLDCHARTYPE))
                continue
            else:
                continue
            if text and not self._instructions:
                self._add(text, state, revision, hidden)
                if self.pieces is not None and not hidden:
                    self.pieces.append(TextPiece(child, run, text, _STATE_NAMES[state]))

    def _field(self, kind: str | None) -> None:
        """Follow complex fields: text between ``begin`` and ``separate`` is an instruction, not shown."""
        if kind == "begin":
            self._fields.append(False)
            self._instructions += 1
        elif kind == "separate" and self._fields and not self._fields[-1]:
            self._fields[-1] = True
            self._instructions -= 1
        elif kind == "end" and self._fields:
            self._instructions -= 0 if self._fields.pop() else 1

    def _add(self, text: str, state: int, revision, hidden: bool) -> None:
        if hidden:
            if state != _DELETED:
                self._hidden.append(text)
            return
        if state != _INSERTED:
            self._original.append(text)
        if state != _NORMAL:
            self._revise("insert" if state == _INSERTED else "delete", revision, text)
        if state != _DELETED:
            self._accepted.append(text)
            self._length += len(text)

    def _revise(self, kind: str, element: etree._Element, text: str) -> None:
        """Record ``text`` under revision ``element``, extending the last record when it continues it."""
        grows = len(text) if kind == "insert" else 0
        if self._revisions:
            last = self._revisions[-1]
            if last[0] == kind and last[4] == self._length and _same_revision(last[1], element):
                last[3].append(text)
                last[4] += grows
                return
        self._revisions.append([kind, element, self._length, [text], self._length + grows])


def _same_revision(first: etree._Element, second: etree._Element) -> bool:
    if first is second:
        return True
    return first.get(W_ID) is not None and first.get(W_ID) == second.get(W_ID)


def _run_state(run: etree._Element, paragraph: etree._Element) -> tuple[int, etree._Element | None]:
    """Return how ``run`` shows in the accepted view (normal, inserted, deleted, invisible) and its revision."""
    inserted = deleted = None
    node = run.getparent()
    while node is not None and node is not paragraph:
        tag = node.tag
        if tag in _DELETIONS:
            deleted = deleted if deleted is not None else node
        elif tag in _INSERTIONS:
            inserted = inserted if inserted is not None else node
        elif tag in _OPAQUE or (tag in _BRANCHES and chosen_branch(node.getparent()) is not node):
            return _INVISIBLE, None
        node = node.getparent()
    if deleted is not None:
        return (_INVISIBLE, None) if inserted is not None else (_DELETED, deleted)
    return (_INSERTED, inserted) if inserted is not None else (_NORMAL, None)


def _within_deleted_row(state: int, revision, row_deletion: etree._Element) -> tuple[int, etree._Element | None]:
    """Return how a run shows when its table row is deleted: what remained visible is deleted now."""
    if state == _NORMAL:
        return _DELETED, row_deletion
    if state == _INSERTED:
        return _INVISIBLE, None
    return state, revision


def _paragraph_hidden(paragraph: etree._Element, styles: StyleSheet) -> bool:
    """Return whether runs of ``paragraph`` are hidden unless they say otherwise (paragraph style, defaults)."""
    style = paragraph.find(f"{W_PPR}/{W_PSTYLE}")
    return styles.paragraph_hidden(style.get(W_VAL) if style is not None else None)


def _run_hidden(run: etree._Element, hidden_by_default: bool, styles: StyleSheet) -> bool:
    """Return whether ``run`` is hidden: its own ``w:vanish``, else its character style's, else the default."""
    properties = run[0] if len(run) else None
    if properties is None or properties.tag != W_RPR:
        return hidden_by_default
    by_style = None
    for prop in properties:
        tag = prop.tag
        if tag == W_VANISH:
            return bool(on_off(prop))
        if tag == W_RSTYLE:
            by_style = styles.hidden(prop.get(W_VAL))
    return hidden_by_default if by_style is None else by_style


def _symbol(sym: etree._Element) -> str:
    """Return the character a ``w:sym`` shows, or "" when it is a glyph of a symbol font."""
    try:
        code = int(sym.get(W_CHAR, ""), 16)
    except ValueError:
        return ""
    if 0xF000 <= code <= 0xF0FF or 0xD800 <= code <= 0xDFFF or not 0x20 <= code <= 0x10FFFF:
        return ""
    return chr(code)


def _context(package: Package) -> _Context:
    styles = _style_sheet(package)
    careful_tags = (*CAREFUL_TAGS, W_RSTYLE) if styles.hides_text else CAREFUL_TAGS
    return _Context(styles, NumberingDefinitions(_related_root(package, REL_NUMBERING), styles), careful_tags)


_STYLE_SHEETS: OrderedDict[bytes, StyleSheet] = OrderedDict()
_STYLE_SHEETS_KEPT = 8


def _style_sheet(package: Package) -> StyleSheet:
    """Return the StyleSheet of the package's styles part, reused for another draft with the same bytes.

    A folder of drafts made from one template shares one, often large, styles part:
    it is parsed once. The key is a digest of the inflated bytes, so an edited part
    is always parsed again.
    """
    target = package.related_part(package.main_part, REL_STYLES)
    data = package.read_bytes(target) if target is not None else None
    if data is None:
        return StyleSheet(None)
    key = hashlib.blake2b(data, digest_size=20).digest()
    sheet = _STYLE_SHEETS.get(key)
    if sheet is None:
        sheet = _STYLE_SHEETS[key] = StyleSheet(parse_xml(package, target, data))
        while len(_STYLE_SHEETS) > _STYLE_SHEETS_KEPT:
            _STYLE_SHEETS.popitem(last=False)
    return sheet


def _related_root(package: Package, rel_type: str, source: str | None = None) -> etree._Element | None:
    target = package.related_part(package.main_part if source is None else source, rel_type)
    return package.read_xml(target) if target is not None else None


def _content_warnings(package: Package, story: Story) -> list[str]:
    if next(story.root.iter(W_ALTCHUNK), None) is None:
        return []
    return [f"{package.path}: {story.part.name} embeds content in another format (altChunk) that was not read"]


def _comments(package: Package, context: _Context, anchors: dict[str, tuple[str, int]]) -> tuple[Comment, ...]:
    root = _related_root(package, REL_COMMENTS)
    if root is None:
        return ()
    return tuple(_comment(element, context, anchors) for element in root.iter(W_COMMENT))


def _comment(element: etree._Element, context: _Context, anchors: dict[str, tuple[str, int]]) -> Comment:
    paragraphs = (
        "".join(paragraph_text(placed.element, context.styles).accepted for placed in group)
        for group in paragraph_groups(element, "comment")
    )
    part, paragraph = anchors.get(element.get(W_ID, ""), (None, None))
    return Comment(element.get(W_ID, ""), element.get(W_AUTHOR), element.get(W_DATE), "\n".join(paragraphs),
                   part, paragraph)


def _comment_anchors(stories: list[Story]) -> dict[str, tuple[str, int]]:
    """Return, by comment id, the part and accepted-view paragraph index each comment is anchored on."""
    anchors: dict[str, tuple[str, int]] = {}
    for story in (s for s in stories if s.survey.comment_anchors):
        index_of = {placed.element: index
                    for index, group in enumerate(paragraph_groups(story.root, story.part.container, story.survey), 1)
                    for placed in group}
        for comment_id, paragraph in story.survey.comment_anchors.items():
            if paragraph in index_of:
                anchors.setdefault(comment_id, (story.part.name, index_of[paragraph]))
    return anchors


def _properties(package: Package) -> dict[str, str]:
    """Return the custom document properties by name, and the core ``title`` when set."""
    properties = {}
    core = _related_root(package, REL_CORE_PROPERTIES, source="")
    title = core.find(qn("dc:title")) if core is not None else None
    if title is not None and title.text:
        properties["title"] = title.text
    custom = _related_root(package, REL_CUSTOM_PROPERTIES, source="")
    if custom is not None:
        properties.update(_custom_properties(custom))
    return properties


def _custom_properties(root: etree._Element) -> Iterator[tuple[str, str]]:
    for prop in root.iter(qn("op:property")):
        if prop.get("name"):
            yield prop.get("name"), "".join(prop.itertext())

