"""Word comments on a copy of a received draft: where the checker found something, Word shows it.

Paragraphs are found with the reader's own walk (``paragraph_groups``), so a note
naming paragraph 12 of ``document`` lands on the Block the report calls paragraph
12. Word does not allow comments in headers and footers, so a note about another
part is anchored on the first paragraph of the body and says which part and
paragraph it is about. The source file is never written; every part other than
the main document, the comments part, their relationships and
``[Content_Types].xml`` is copied byte for byte.
"""

from __future__ import annotations

import io
import os
import posixpath
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from lxml import etree

from ..errors import OutputError
from ..outputs import write_atomically
from .namespaces import (
    CT_COMMENTS,
    CT_RELATIONSHIPS,
    NAMESPACES,
    REL_COMMENTS,
    W_AUTHOR,
    W_COMMENT,
    W_COMMENT_RANGE_END,
    W_COMMENT_RANGE_START,
    W_COMMENT_REFERENCE,
    W_DATE,
    W_ID,
    W_P,
    W_PPR,
    W_R,
    W_T,
    qn,
)
from .package import Package, open_package
from .reader import PlacedParagraph, Story, open_stories, paragraph_groups

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_FORBIDDEN = {code: None for code in range(0x20) if chr(code) not in "\t\n\r"} | {0xFFFE: None, 0xFFFF: None}


@dataclass(frozen=True)
class Note:
    """A comment to attach: on paragraphs ``first``..``last`` (1-based, inclusive) of ``part``.

    Indices are those of ``Block.index`` from ``read_document``. With ``part`` or
    ``first`` None the note goes on the first paragraph of the body (a clause that
    is missing has no place of its own); ``last`` None means ``first``.
    """

    part: str | None
    first: int | None
    last: int | None
    text: str
    author: str = "osa check"


def annotate(source: Path, destination: Path, notes: Sequence[Note], force: bool = False) -> None:
    """Write to ``destination`` a copy of ``source`` carrying one Word comment per note.

    Raises DocumentError when ``source`` is not a readable .docx or a note names a
    paragraph it does not have, OutputError when ``destination`` cannot be written.
    """
    source, destination = Path(source), Path(destination)
    _refuse_same_file(source, destination)
    package = open_package(source)
    edit = _Edit(package)
    for note in notes:
        edit.add(note)
    write_atomically(destination, zip_bytes(package, edit.changed_parts()), force)


def _refuse_same_file(source: Path, destination: Path) -> None:
    same = destination.resolve() == source.resolve()
    if not same and destination.exists() and source.exists():
        same = os.path.samefile(source, destination)
    if same:
        raise OutputError(f"{destination}: is the document being annotated; give another file name")


class _Edit:
    """The parts of one package being changed: main document, comments, relationships, content types."""

    def __init__(self, package: Package):
        self._package = package
        self._stories = {story.part.name: story for story in open_stories(package)}
        self._main = self._stories["document"].root
        self._groups: dict[str, list[tuple[PlacedParagraph, ...]]] = {}
        self._comments_part = package.related_part(package.main_part, REL_COMMENTS)
        self._comments = self._existing_comments()
        self._next_id = _highest_comment_id(self._main, self._comments) + 1
        self._date = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    def add(self, note: Note) -> None:
        """Anchor ``note`` on its paragraphs and add its comment."""
        first, last, text = self._anchor(note)
        comment_id = str(self._next_id)
        self._next_id += 1
        _mark_range(first, last, comment_id)
        self._comments.append(_comment(comment_id, note.author, self._date, text))

    def changed_parts(self) -> dict[str, bytes]:
        """Return the new bytes of every part this edit changes or creates, by part name."""
        changed = {self._package.main_part: serialise(self._main)}
        if self._comments_part is None:
            self._comments_part = _free_name(self._package, "comments.xml")
            changed.update(self._relate_comments())
        changed[self._comments_part] = serialise(self._comments)
        return changed

    def _existing_comments(self) -> etree._Element:
        if self._comments_part is not None:
            return self._package.read_xml(self._comments_part)
        return etree.Element(qn("w:comments"), nsmap={"w": NAMESPACES["w"]})

    def _anchor(self, note: Note) -> tuple[etree._Element, etree._Element, str]:
        """Return the first and last ``w:p`` a note covers, and the comment text to show there."""
        if note.part is None or note.first is None:
            return *self._body_start(), note.text
        last = note.first if note.last is None else note.last
        groups = self._part_groups(note.part)
        if not 1 <= note.first <= last <= len(groups):
            raise self._package.refusal(
                f"has no paragraphs {note.first}-{last} in {note.part} (it has {len(groups)}); "
                "the notes were made for another document"
            )
        if note.part != "document":
            where = f"{note.part}, paragraph {note.first}" + (f"-{last}" if last != note.first else "")
            return *self._body_start(), f"[{where}] {note.text}"
        return groups[note.first - 1][0].element, groups[last - 1][-1].element, note.text

    def _part_groups(self, name: str) -> list[tuple[PlacedParagraph, ...]]:
        if name not in self._groups:
            story = self._stories.get(name)
            if story is None:
                raise self._package.refusal(f"has no part {name}; the notes were made for another document")
            self._groups[name] = _groups(story)
        return self._groups[name]

    def _body_start(self) -> tuple[etree._Element, etree._Element]:
        groups = self._part_groups("document")
        if groups:
            paragraph = groups[0][0].element
        else:
            body = self._main.find(qn("w:body"))
            paragraph = etree.Element(W_P)
            body.insert(0, paragraph)
        return paragraph, paragraph

    def _relate_comments(self) -> dict[str, bytes]:
        """Return the relationships and content types that declare a new comments part."""
        main = self._package.main_part
        folder, base = posixpath.split(main)
        rels_name = posixpath.join(folder, "_rels", f"{base}.rels")
        rels = self._package.read_xml(rels_name)
        if rels is None:
            rels = etree.Element(qn("pr:Relationships"), nsmap={None: NAMESPACES["pr"]})
        target = posixpath.relpath(self._comments_part, folder or ".")
        etree.SubElement(rels, qn("pr:Relationship"), Id=_free_rel_id(rels), Type=REL_COMMENTS, Target=target)
        types = self._package.read_xml("[Content_Types].xml")
        _declare_content_type(types, self._comments_part, CT_COMMENTS)
        _declare_content_type(types, rels_name, CT_RELATIONSHIPS)
        return {rels_name: serialise(rels), "[Content_Types].xml": serialise(types)}


def _groups(story: Story) -> list[tuple[PlacedParagraph, ...]]:
    return paragraph_groups(story.root, story.part.container, story.survey)


def _highest_comment_id(main: etree._Element, comments: etree._Element) -> int:
    tags = (W_COMMENT_RANGE_START, W_COMMENT_RANGE_END, W_COMMENT_REFERENCE)
    ids = [element.get(W_ID, "") for element in main.iter(*tags)]
    ids.extend(element.get(W_ID, "") for element in comments.iter(W_COMMENT))
    return max((int(value) for value in ids if value.strip().isdigit()), default=-1)


def _mark_range(first: etree._Element, last: etree._Element, comment_id: str) -> None:
    """Put ``commentRangeStart`` at the start of ``first``, the range end and reference run at the end of ``last``."""
    start = etree.Element(W_COMMENT_RANGE_START, {W_ID: comment_id})
    first.insert(1 if len(first) and first[0].tag == W_PPR else 0, start)
    etree.SubElement(last, W_COMMENT_RANGE_END, {W_ID: comment_id})
    run = etree.SubElement(last, W_R)
    etree.SubElement(run, W_COMMENT_REFERENCE, {W_ID: comment_id})


def _comment(comment_id: str, author: str, date: str, text: str) -> etree._Element:
    """Return a ``w:comment`` holding ``text``, one paragraph per line."""
    author = _xml_safe(author)
    initials = "".join(word[0] for word in author.split()).upper()
    comment = etree.Element(W_COMMENT, {W_ID: comment_id, W_AUTHOR: author, W_DATE: date, qn("w:initials"): initials})
    for number, line in enumerate(_xml_safe(text).split("\n")):
        paragraph = etree.SubElement(comment, W_P)
        if number == 0:
            etree.SubElement(etree.SubElement(paragraph, W_R), qn("w:annotationRef"))
        run_text = etree.SubElement(etree.SubElement(paragraph, W_R), W_T, {_XML_SPACE: "preserve"})
        run_text.text = line
    return comment


def _xml_safe(text: str) -> str:
    """Return ``text`` without the characters XML 1.0 cannot carry, line ends made ``\\n``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_FORBIDDEN)
    return "".join(char for char in text if not 0xD800 <= ord(char) <= 0xDFFF)


def _free_name(package: Package, base: str) -> str:
    """Return a part name for ``base`` beside the main document that no member uses yet."""
    folder = posixpath.dirname(package.main_part)
    stem, extension = posixpath.splitext(base)
    for number in range(len(package.names) + 1):
        name = posixpath.join(folder, f"{stem}{number or ''}{extension}")
        if package.info(name) is None:
            return name
    raise AssertionError("unreachable: more names tried than members exist")


def _free_rel_id(rels: etree._Element) -> str:
    used = {element.get("Id") for element in rels}
    return next(f"rId{number}" for number in range(1, len(used) + 2) if f"rId{number}" not in used)


def _declare_content_type(types: etree._Element, partname: str, content_type: str) -> None:
    """Add an Override for ``partname`` unless ``[Content_Types].xml`` already types it."""
    overrides = {element.get("PartName", "").lower() for element in types.iter(qn("ct:Override"))}
    extension = posixpath.splitext(partname)[1].lstrip(".").lower()
    defaults = {element.get("Extension", "").lower(): element.get("ContentType") for element in types.iter(qn("ct:Default"))}
    if f"/{partname}".lower() in overrides or defaults.get(extension) == content_type:
        return
    etree.SubElement(types, qn("ct:Override"), PartName=f"/{partname}", ContentType=content_type)


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def zip_bytes(package: Package, changed: dict[str, bytes]) -> bytes:
    """Return the new .docx: members in their order, changed ones replaced, new ones at the end."""
    buffer = io.BytesIO()
    main = package.info(package.main_part)
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in package.names:
            data = changed.pop(name) if name in changed else package.read_bytes(name)
            archive.writestr(_entry(name, package.info(name)), data)
        for name, data in changed.items():
            archive.writestr(_entry(name, main), data)
    return buffer.getvalue()


def _entry(name: str, model: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """Return the zip entry for ``name`` with the date, compression and attributes of ``model``."""
    entry = zipfile.ZipInfo(name, model.date_time)
    entry.compress_type = model.compress_type
    entry.external_attr = model.external_attr
    return entry

