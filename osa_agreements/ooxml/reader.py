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

import itertools
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .namespaces import (
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
    W_ALTCHUNK,
    W_AUTHOR,
    W_BR,
    W_CHAR,
    W_COMMENT,
    W_CR,
    W_DATE,
    W_DEL,
    W_DELTEXT,
    W_DOCUMENT,
    W_ENDNOTE,
    W_FLDCHAR,
    W_FLDCHARTYPE,
    W_FOOTNOTE,
    W_ID,
    W_INS,
    W_MOVEFROM,
    W_MOVETO,
    W_NOBREAKHYPHEN,
    W_P,
    W_PPR,
    W_PSTYLE,
    W_PTAB,
    W_R,
    W_RPR,
    W_RSTYLE,
    W_RT,
    W_SDT,
    W_SDTCONTENT,
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
from .numbering import ListLabeller, NumberingDefinitions, StyleSheet, on_off
from .package import Limits, Package, open_package
from .records import Block, Comment, DocumentText, Revision

CLAUSE_TAG_PREFIX = "osa-clause:"
_DELETED_ROWS = -1
_NORMAL, _INSERTED, _DELETED, _INVISIBLE = range(4)
_DELETIONS = frozenset({W_DEL, W_MOVEFROM})
_INSERTIONS = frozenset({W_INS, W_MOVETO})
_OPAQUE = frozenset({W_TXBXCONTENT, W_RT, W_P})
_BRANCHES = frozenset({MC_CHOICE, MC_FALLBACK})
_CHARACTERS = {W_TAB: "\t", W_PTAB: "\t", W_BR: "\n", W_CR: "\n", W_NOBREAKHYPHEN: "-", W_SOFTHYPHEN: ""}
_STORY_STARTS = frozenset({W_TC, W_TXBXCONTENT, W_FOOTNOTE, W_ENDNOTE, W_COMMENT})
_CONTAINERS = {W_TBL: "table", W_TXBXCONTENT: "textbox"}
_NOTE_KINDS = frozenset({None, "normal"})


@dataclass(frozen=True)
class StoryPart:
    """A part whose paragraphs are agreement text: ``name`` as in Block.part, the zip ``partname``."""

    name: str
    partname: str
    container: str


@dataclass(frozen=True)
class PlacedParagraph:
    """A ``w:p`` found in reading order, with where it stands.

    ``story`` identifies the cell, text box, note or part body it belongs to;
    ``dissolved_by`` is the ``w:del`` of its paragraph mark (or of its table row)
    when the accepted view merges it into the next paragraph, else None.
    """

    element: etree._Element
    container: str
    story: int
    clause_tag: str | None
    dissolved_by: etree._Element | None


@dataclass(frozen=True)
class ParagraphText:
    """The text of one ``w:p`` in both views, before paragraphs are merged."""

    accepted: str
    original: str
    hidden: str
    revisions: tuple[Revision, ...]


@dataclass(frozen=True)
class _Context:
    styles: StyleSheet
    numbering: NumberingDefinitions


def read_document(path: Path, limits: Limits = Limits()) -> DocumentText:
    """Return the accepted-view text of the .docx at ``path``, paragraph by paragraph, with its places.

    Raises DocumentError when the file is not a readable Word document or exceeds ``limits``.
    """
    package = open_package(path, limits)
    context = _context(package)
    blocks: list[Block] = []
    warnings = list(package.warnings)
    for part in story_parts(package):
        root = story_root(package, part)
        blocks.extend(_part_blocks(part, root, context))
        warnings.extend(_content_warnings(package, part, root))
    return DocumentText(
        blocks=tuple(blocks),
        comments=_comments(package, context),
        properties=_properties(package),
        warnings=tuple(warnings),
    )


def story_parts(package: Package) -> list[StoryPart]:
    """Return the parts holding agreement text in reading order: document, headers, footers, notes."""
    main = package.main_part
    parts = [StoryPart("document", main, "body")]
    for rel_type, container in ((REL_HEADER, "header"), (REL_FOOTER, "footer")):
        targets = {rel.target for rel in package.relationships(main) if rel.type == rel_type and not rel.external}
        named = sorted(((_stem(target), target) for target in targets if package.info(target)), key=_natural)
        parts.extend(StoryPart(name, target, container) for name, target in named)
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


def placed_paragraphs(root: etree._Element, container: str) -> Iterator[PlacedParagraph]:
    """Yield every paragraph under ``root`` in reading order, each text box's paragraphs after its anchor.

    Tables are read row by row and cell by cell (nested tables in place), content
    controls through their content, ``mc:AlternateContent`` through one branch only.
    """
    stories = itertools.count(1)
    stack = [(root, container, 0, None, None)]
    while stack:
        element, where, story, tag, row_deletion = stack.pop()
        if element.tag == W_P:
            yield _placed(element, where, story, tag, row_deletion)
            for box in reversed(textboxes(element)):
                stack.append((box, "textbox", next(stories), tag, None))
            continue
        where, story, tag, row_deletion = _enter(element, where, story, tag, row_deletion, stories)
        stack.extend((child, where, story, tag, row_deletion) for child in reversed(_children(element)))


def _placed(element, where, story, tag, row_deletion) -> PlacedParagraph:
    mark_deletion = element.find(f"{W_PPR}/{W_RPR}/{W_DEL}")
    if row_deletion is not None:
        return PlacedParagraph(element, where, _DELETED_ROWS, tag, row_deletion)
    return PlacedParagraph(element, where, story, tag or _inline_clause_tag(element), mark_deletion)


def _enter(element, where, story, tag, row_deletion, stories):
    """Return the reading context (container, story, clause tag, row deletion) inside ``element``."""
    name = element.tag
    where = _CONTAINERS.get(name, where)
    if name in _STORY_STARTS:
        story = next(stories)
    elif name == W_SDT:
        tag = _clause_tag(element) or tag
    elif name == W_TR:
        row_deletion = element.find(f"{W_TRPR}/{W_DEL}")
    return where, story, tag, row_deletion


def _children(element: etree._Element) -> list[etree._Element]:
    """Return the children to walk: one branch of an AlternateContent, no notes that are separators."""
    if element.tag == MC_ALTERNATE_CONTENT:
        branch = chosen_branch(element)
        return [] if branch is None else [branch]
    return [
        child
        for child in element
        if isinstance(child.tag, str) and (child.tag not in (W_FOOTNOTE, W_ENDNOTE) or _is_note(child))
    ]


def _is_note(note: etree._Element) -> bool:
    return note.get(W_TYPE) in _NOTE_KINDS


def _clause_tag(sdt: etree._Element) -> str | None:
    tag = sdt.find(f"{W_SDTPR}/{W_TAG}")
    value = tag.get(W_VAL, "") if tag is not None else ""
    return value if value.startswith(CLAUSE_TAG_PREFIX) else None


def _inline_clause_tag(paragraph: etree._Element) -> str | None:
    """Return the clause tag of a run-level content control inside ``paragraph``, if any."""
    for sdt in paragraph.iter(W_SDT):
        tag = _clause_tag(sdt)
        if tag is not None:
            return tag
    return None


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


def textboxes(paragraph: etree._Element) -> list[etree._Element]:
    """Return the text boxes anchored in ``paragraph`` (not those nested in them), each once."""
    if not _has_textbox(paragraph):
        return []
    found = []
    stack = list(reversed(_children(paragraph)))
    while stack:
        element = stack.pop()
        if element.tag == W_TXBXCONTENT:
            found.append(element)
        else:
            stack.extend(reversed(_children(element)))
    return found


def paragraph_groups(root: etree._Element, container: str) -> list[tuple[PlacedParagraph, ...]]:
    """Return the accepted-view paragraphs under ``root``: position i is the Block of index i + 1.

    Each group is one or more ``w:p``: those whose mark (or row) was deleted, then
    the paragraph they merge into.
    """
    groups: list[list[PlacedParagraph]] = []
    open_groups: dict[int, list[PlacedParagraph]] = {}
    for placed in placed_paragraphs(root, container):
        group = open_groups.pop(placed.story, None) or open_groups.pop(_DELETED_ROWS, None)
        if group is None:
            group = []
            groups.append(group)
        group.append(placed)
        if placed.dissolved_by is not None:
            open_groups[placed.story] = group
    return [tuple(group) for group in groups]


def _part_blocks(part: StoryPart, root: etree._Element, context: _Context) -> Iterator[Block]:
    labeller = ListLabeller(context.numbering, context.styles)
    for index, group in enumerate(paragraph_groups(root, part.container), start=1):
        texts = [paragraph_text(placed.element, context.styles) for placed in group]
        number = labeller.label(group[-1].element.find(W_PPR))
        yield _block(part.name, index, group, texts, number)


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


def paragraph_text(paragraph: etree._Element, styles: StyleSheet) -> ParagraphText:
    """Return the text of one ``w:p`` as accepted, as original, and hidden, with its revisions."""
    return _ParagraphReader(paragraph, styles).read()


class _ParagraphReader:
    """Collects the text of one paragraph run by run; used once, by ``paragraph_text``."""

    def __init__(self, paragraph: etree._Element, styles: StyleSheet):
        self._paragraph = paragraph
        self._styles = styles
        self._accepted: list[str] = []
        self._length = 0
        self._original: list[str] = []
        self._hidden: list[str] = []
        self._revisions: list[list] = []
        self._fields: list[bool] = []

    def read(self) -> ParagraphText:
        hidden_by_default = _paragraph_hidden(self._paragraph, self._styles)
        for run in self._paragraph.iter(W_R):
            state, revision = _run_state(run, self._paragraph)
            if state != _INVISIBLE:
                self._read_run(run, state, revision, _run_hidden(run, hidden_by_default, self._styles))
        return ParagraphText(
            accepted="".join(self._accepted),
            original="".join(self._original),
            hidden="".join(self._hidden),
            revisions=tuple(_revision(kind, element, "".join(parts), start)
                            for kind, element, start, parts in self._revisions),
        )

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
            if text and False not in self._fields:
                self._add(text, state, revision, hidden)

    def _field(self, kind: str | None) -> None:
        """Follow complex fields: text between ``begin`` and ``separate`` is an instruction, not shown."""
        if kind == "begin":
            self._fields.append(False)
        elif kind == "separate" and self._fields:
            self._fields[-1] = True
        elif kind == "end" and self._fields:
            self._fields.pop()

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
        if self._revisions:
            last_kind, last_element, start, parts = self._revisions[-1]
            ends_here = start + sum(map(len, parts)) if kind == "insert" else start
            if last_kind == kind and ends_here == self._length and _same_revision(last_element, element):
                parts.append(text)
                return
        self._revisions.append([kind, element, self._length, [text]])


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


def _paragraph_hidden(paragraph: etree._Element, styles: StyleSheet) -> bool:
    """Return whether runs of ``paragraph`` are hidden unless they say otherwise (paragraph style, defaults)."""
    style = paragraph.find(f"{W_PPR}/{W_PSTYLE}")
    style_id = style.get(W_VAL) if style is not None else styles.default_paragraph_style
    hidden = styles.hidden(style_id)
    return styles.default_hidden if hidden is None else hidden


def _run_hidden(run: etree._Element, hidden_by_default: bool, styles: StyleSheet) -> bool:
    """Return whether ``run`` is hidden: its own ``w:vanish``, else its character style's, else the default."""
    properties = run.find(W_RPR)
    if properties is None:
        return hidden_by_default
    vanish = on_off(properties.find(W_VANISH))
    if vanish is not None:
        return vanish
    style = properties.find(W_RSTYLE)
    by_style = styles.hidden(style.get(W_VAL)) if style is not None else None
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
    styles = StyleSheet(_related_root(package, REL_STYLES))
    return _Context(styles, NumberingDefinitions(_related_root(package, REL_NUMBERING), styles))


def _related_root(package: Package, rel_type: str, source: str | None = None) -> etree._Element | None:
    target = package.related_part(package.main_part if source is None else source, rel_type)
    return package.read_xml(target) if target is not None else None


def _content_warnings(package: Package, part: StoryPart, root: etree._Element) -> list[str]:
    if next(root.iter(W_ALTCHUNK), None) is None:
        return []
    return [f"{package.path}: {part.name} embeds content in another format (altChunk) that was not read"]


def _comments(package: Package, context: _Context) -> tuple[Comment, ...]:
    root = _related_root(package, REL_COMMENTS)
    if root is None:
        return ()
    return tuple(_comment(element, context) for element in root.iter(W_COMMENT))


def _comment(element: etree._Element, context: _Context) -> Comment:
    paragraphs = (
        "".join(paragraph_text(placed.element, context.styles).accepted for placed in group)
        for group in paragraph_groups(element, "comment")
    )
    return Comment(element.get(W_ID, ""), element.get(W_AUTHOR), element.get(W_DATE), "\n".join(paragraphs))


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

