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
import itertools
import os
import posixpath
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from lxml import etree

from osa_agreements.errors import OutputError
from osa_agreements.files.writing import write_atomically
from osa_agreements.ooxml.namespaces import (
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
    W_RPR,
    W_T,
    qn,
)
from osa_agreements.ooxml.controls import inline_block_controls
from osa_agreements.ooxml.package import Package, open_package
from osa_agreements.ooxml.reader import PlacedParagraph, Story, _style_sheet, open_stories, paragraph_groups, paragraph_text
from osa_agreements.ooxml.tracked import (Marks, block_places, comment_marks, delete_mark, delete_runs, home, insertion, new_paragraph,
                      run_properties, runs_between)

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_FORBIDDEN = {code: None for code in range(0x20) if chr(code) not in "\t\n\r"} | {0xFFFE: None, 0xFFFF: None}


@dataclass(frozen=True)
class Reviewer:
    """Who signs a copy's comments and tracked changes, and when (``date`` in W3CDTF, UTC)."""

    name: str
    initials: str
    date: str

    @classmethod
    def now(cls, name: str, initials: str | None = None) -> Reviewer:
        """Return the reviewer ``name`` signing at this moment; initials default to those of the name."""
        name = " ".join(_xml_safe(name).split())
        initials = " ".join(_xml_safe(initials).split()) if initials else _initials(name)
        return cls(name, initials, datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))


ANONYMOUS = Reviewer("Reviewer", "R", "")
"""The reviewer of a copy when none is given. A reviewer without a date signs at the time of writing."""


@dataclass(frozen=True)
class Note:
    """A comment to attach: on paragraphs ``first``..``last`` (1-based, inclusive) of ``part``.

    Indices are those of ``Block.index`` from ``read_document``. With ``part`` or
    ``first`` None the note goes on the first paragraph of the body (a clause that
    is missing has no place of its own); ``last`` None means ``first``. ``begin``
    (in the first paragraph's accepted text) and ``finish`` (in the last's; None: its
    end) narrow the range to the words concerned, and ``quote``, when those words
    hold it, narrows it to that phrase. ``author`` None: the copy's reviewer.
    """

    part: str | None
    first: int | None
    last: int | None
    text: str
    author: str | None = None
    begin: int = 0
    finish: int | None = None
    quote: str | None = None


@dataclass(frozen=True)
class Restoration:
    """Our wording put back, as tracked changes, in place of the words ``begin``..``finish`` of paragraphs
    ``first``..``last`` of ``part`` (offsets as in Note), with a comment saying ``reason``.

    With ``text`` empty the words are only deleted; when they are whole paragraphs,
    their marks go too, so that accepting the deletion leaves no empty paragraph."""

    part: str
    first: int
    last: int
    begin: int
    finish: int | None
    text: str
    reason: str


@dataclass(frozen=True)
class Addition:
    """A new paragraph of ``text``, inserted as a tracked change after (``after``) or before body paragraph
    ``anchor`` (None: at the start of the body), shaped like paragraph ``model``, with a comment ``reason``."""

    anchor: int | None
    after: bool
    model: int | None
    text: str
    reason: str


def annotate(source: Path | Package, destination: Path, notes: Sequence[Note], force: bool = False,
             reviewer: Reviewer | None = None) -> None:
    """Write to ``destination`` a copy of ``source`` (a path, or a package already opened) with a comment per note.

    Raises DocumentError when ``source`` is not a readable .docx or a note names a
    paragraph it does not have, OutputError when ``destination`` cannot be written.
    """
    write_copy(source, destination, reviewer, notes=notes, force=force)


def write_copy(source: Path | Package, destination: Path, reviewer: Reviewer | None = None, *,
               notes: Sequence[Note] = (), restorations: Sequence[Restoration] = (),
               additions: Sequence[Addition] = (), force: bool = False) -> None:
    """Write to ``destination`` a copy of ``source`` with the comments and tracked changes asked for.

    Changes are made last paragraph first, so that each one's offsets hold. See ``annotate``.
    """
    package = source if isinstance(source, Package) else open_package(Path(source))
    destination = Path(destination)
    _refuse_same_file(Path(package.path), destination)
    edit = _Edit(package, reviewer or ANONYMOUS)
    for restoration in sorted(restorations, key=lambda r: (r.part, r.first, r.begin), reverse=True):
        edit.restore(restoration)
    for _, addition in sorted(enumerate(additions), key=_insertion_order, reverse=True):
        edit.add_paragraph(addition)
    for note in notes:
        edit.add(note)
    write_atomically(destination, zip_bytes(package, edit.changed_parts()), force)


def _insertion_order(item: tuple[int, Addition]) -> tuple:
    """Return a key that, reversed, inserts last paragraph first and keeps additions at one place in order."""
    number, addition = item
    return addition.anchor or 0, addition.after, number if addition.after else -number


def _refuse_same_file(source: Path, destination: Path) -> None:
    same = destination.resolve() == source.resolve()
    if not same and destination.exists() and source.exists():
        same = os.path.samefile(source, destination)
    if same:
        raise OutputError(f"{destination}: is the document being annotated; give another file name")


class _Edit:
    """The parts of one package being changed: main document, comments, relationships, content types."""

    def __init__(self, package: Package, reviewer: Reviewer):
        self._package = package
        self._reviewer = reviewer if reviewer.date else replace(reviewer, date=_now())
        self._stories = {story.part.name: story for story in open_stories(package)}
        for story in self._stories.values():
            inline_block_controls(story.root)
        self._main = self._stories["document"].root
        self._styles = _style_sheet(package)
        self._groups: dict[str, list[tuple[PlacedParagraph, ...]]] = {}
        self._touched = {"document"}
        self._comments_part = package.related_part(package.main_part, REL_COMMENTS)
        self._comments = self._existing_comments()
        ids = itertools.count(_highest_id(self._stories.values(), self._comments) + 1)
        self._marks = Marks(self._reviewer.name, self._reviewer.date, ids)
        self._part_groups("document")

    def add(self, note: Note) -> None:
        """Anchor ``note`` on its words and add its comment."""
        first, last, text = self._anchor(note)
        comment_id = self._new_comment(text, note.author)
        comment_marks(first, last, comment_id)

    def restore(self, restoration: Restoration) -> None:
        """Delete the counterpart's words and insert ours after them, as tracked changes, with a comment."""
        groups = self._span(restoration.part, restoration.first, restoration.last)
        self._touched.add(restoration.part)
        whole = not restoration.text and self._whole(groups, restoration)
        runs = self._delete(groups, restoration.begin, restoration.finish)
        if not runs:
            raise self._package.refusal(f"has no words to replace in {restoration.part} paragraph "
                                        f"{restoration.first}; the changes were made for another document")
        if not restoration.text:
            if whole:
                delete_mark(groups[-1][-1].element, self._marks)
            self._comment_change(restoration, home(runs[0]), home(runs[-1]))
            return
        inserted = insertion(restoration.text, run_properties(runs), self._marks)
        home(runs[0]).addprevious(inserted)
        self._comment_change(restoration, inserted, inserted[-1])

    def add_paragraph(self, addition: Addition) -> None:
        """Insert a new paragraph of ours holding ``addition.text``, as a tracked change, with a comment."""
        groups = self._part_groups("document")
        model = groups[addition.model - 1][-1].element if addition.model else None
        paragraph = new_paragraph(model, self._marks)
        inserted = insertion(addition.text, _first_run_properties(model), self._marks)
        paragraph.append(inserted)
        if addition.anchor is None:
            self._body_start()[0].addprevious(paragraph)
        elif addition.after:
            groups[addition.anchor - 1][-1].element.addnext(paragraph)
        else:
            groups[addition.anchor - 1][0].element.addprevious(paragraph)
        comment_marks(inserted, inserted[-1], self._new_comment(addition.reason))

    def changed_parts(self) -> dict[str, bytes]:
        """Return the new bytes of every part this edit changes or creates, by part name."""
        changed = {self._stories[name].part.partname: serialise(self._stories[name].root) for name in self._touched}
        if self._comments_part is None:
            self._comments_part = _free_name(self._package, "comments.xml")
            changed.update(self._relate_comments())
        changed[self._comments_part] = serialise(self._comments)
        return changed

    def _new_comment(self, text: str, author: str | None = None) -> str:
        comment_id = str(next(self._marks.ids))
        reviewer = self._reviewer if author is None else replace(self._reviewer, name=author, initials=_initials(author))
        self._comments.append(_comment(comment_id, reviewer, text))
        return comment_id

    def _delete(self, groups, begin: int, finish: int | None) -> list[etree._Element]:
        """Delete the words ``begin``..``finish`` of the paragraphs ``groups``, their marks between them too."""
        deleted = []
        for number, group in enumerate(groups):
            start = begin if number == 0 else 0
            end = finish if number == len(groups) - 1 and finish is not None else _end(group, self._styles)
            deleted += delete_runs(runs_between(group, self._styles, start, end), self._marks)
            if number < len(groups) - 1:
                delete_mark(group[-1].element, self._marks)
        return deleted

    def _comment_change(self, restoration: Restoration, first: etree._Element, last: etree._Element) -> None:
        """Comment on a change: around it in the body; at the start of the body, saying where, elsewhere
        (Word takes no comments in headers, footers and notes)."""
        if restoration.part == "document":
            comment_marks(first, last, self._new_comment(restoration.reason))
            return
        self.add(Note(restoration.part, restoration.first, restoration.last, restoration.reason))

    def _whole(self, groups, restoration: Restoration) -> bool:
        """Return whether the words to delete are whole paragraphs with a paragraph after them to merge into."""
        following = groups[-1][-1].element.getnext()
        return (restoration.begin == 0 and restoration.finish in (None, _end(groups[-1], self._styles))
                and following is not None and following.tag == W_P)

    def _existing_comments(self) -> etree._Element:
        if self._comments_part is not None:
            return self._package.read_xml(self._comments_part)
        return etree.Element(qn("w:comments"), nsmap={"w": NAMESPACES["w"]})

    def _anchor(self, note: Note) -> tuple[etree._Element, etree._Element, str]:
        """Return the first and last elements a note's range covers, and the comment text to show there."""
        if note.part is None or note.first is None:
            return *self._body_start(), note.text
        last = note.first if note.last is None else note.last
        groups = self._span(note.part, note.first, last)
        if note.part != "document":
            where = f"{note.part}, paragraph {note.first}" + (f"-{last}" if last != note.first else "")
            return *self._body_start(), f"[{where}] {note.text}"
        return (*self._words(groups, note), note.text)

    def _span(self, part: str, first: int, last: int) -> list[tuple[PlacedParagraph, ...]]:
        groups = self._part_groups(part)
        if not 1 <= first <= last <= len(groups):
            raise self._package.refusal(
                f"has no paragraphs {first}-{last} in {part} (it has {len(groups)}); "
                "the notes were made for another document"
            )
        return groups[first - 1:last]

    def _words(self, groups, note: Note) -> tuple[etree._Element, etree._Element]:
        """Return the first and last element standing for the words a note is about (its quote if found)."""
        spans = [(group, note.begin if n == 0 else 0,
                  note.finish if n == len(groups) - 1 and note.finish is not None else _end(group, self._styles))
                 for n, group in enumerate(groups)]
        found = _quoted(spans, note.quote, self._styles) if note.quote else None
        spans = [found] if found else spans
        runs = [run for group, start, end in spans for run in runs_between(group, self._styles, start, end)]
        if not runs:
            return _paragraph_ends(groups[0][0].element, groups[-1][-1].element)
        return home(runs[0].run), home(runs[-1].run)

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
            return _paragraph_ends(groups[0][0].element, groups[0][0].element)
        body = self._main.find(qn("w:body"))
        paragraph = etree.Element(W_P)
        body.insert(0, paragraph)
        return _paragraph_ends(paragraph, paragraph)

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


def _end(group, styles) -> int:
    places = block_places(group, styles)
    return places[-1].end if places else 0


def _quoted(spans, quote: str, styles):
    """Return (group, start, end) of the first place within ``spans`` holding ``quote``, or None."""
    words = quote.split()
    if not words:
        return None
    pattern = re.compile(r"\s+".join(map(re.escape, words)), re.IGNORECASE)
    for group, start, end in spans:
        text = "".join(paragraph_text(placed.element, styles).accepted for placed in group)
        match = pattern.search(text, start, end)
        if match:
            return group, match.start(), match.end()
    return None


def _paragraph_ends(first: etree._Element, last: etree._Element) -> tuple[etree._Element, etree._Element]:
    """Return elements standing at the start of ``first``'s content and the end of ``last``'s (made if need be)."""
    start = next((child for child in first if child.tag != W_PPR), None)
    if start is None:
        start = etree.SubElement(first, W_R)
    end = last[-1] if len(last) and last[-1].tag != W_PPR else etree.SubElement(last, W_R)
    return start, end


def _first_run_properties(paragraph: etree._Element | None) -> etree._Element | None:
    run = next(paragraph.iter(W_R), None) if paragraph is not None else None
    return run.find(W_RPR) if run is not None else None


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word[0].isalnum()).upper()[:8]


def _groups(story: Story) -> list[tuple[PlacedParagraph, ...]]:
    return paragraph_groups(story.root, story.part.container, story.survey)


def _highest_id(stories, comments: etree._Element) -> int:
    """Return the highest ``w:id`` of any annotation (change, comment, bookmark) in the parts, or -1."""
    ids = [element.get(W_ID, "") for story in stories for element in story.root.iter() if W_ID in element.attrib]
    ids.extend(element.get(W_ID, "") for element in comments.iter(W_COMMENT))
    return max((int(value) for value in ids if value.strip().isdigit()), default=-1)


def _comment(comment_id: str, reviewer: Reviewer, text: str) -> etree._Element:
    """Return a ``w:comment`` holding ``text``, one paragraph per line."""
    attributes = {W_ID: comment_id, W_AUTHOR: _xml_safe(reviewer.name), W_DATE: reviewer.date,
                  qn("w:initials"): _xml_safe(reviewer.initials)}
    comment = etree.Element(W_COMMENT, attributes)
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
    """Return the bytes of a part whose root is ``root``, with its XML declaration."""
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

