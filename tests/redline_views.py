"""Accepting or rejecting every tracked change of a .docx, done on its XML as Word does it.

Written for the tests independently of the package's reader and writer, so that a
redline is judged by what accepting and rejecting make of it: the text is then read
from the resulting plain .docx.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
STORY_PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")


def q(name: str) -> str:
    return f"{{{W}}}{name}"


REVISION_MARKS = {q("ins"), q("del"), q("moveFrom"), q("moveTo")}
RANGES = [q(n) for n in ("moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd")]


def accepted(source: Path, destination: Path) -> Path:
    """Write ``destination``: ``source`` with every tracked change accepted."""
    return _rewrite(source, destination, keep=("ins", "moveTo"), drop=("del", "moveFrom"))


def rejected(source: Path, destination: Path) -> Path:
    """Write ``destination``: ``source`` with every tracked change rejected."""
    return _rewrite(source, destination, keep=("del", "moveFrom"), drop=("ins", "moveTo"))


def tracked_changes(source: Path) -> list[etree._Element]:
    """Return every revision element (ins, del, moveFrom, moveTo) of the story parts of ``source``."""
    with zipfile.ZipFile(source) as archive:
        roots = [etree.fromstring(archive.read(name)) for name in _stories(archive)]
    return [element for root in roots for element in root.iter(*REVISION_MARKS)]


def _stories(archive: zipfile.ZipFile) -> list[str]:
    names = archive.namelist()
    return [n for n in names if n in STORY_PARTS or n.startswith(("word/header", "word/footer")) and n.endswith(".xml")]


def _rewrite(source: Path, destination: Path, keep: tuple[str, str], drop: tuple[str, str]) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        stories = _stories(archive)
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename in stories:
                root = etree.fromstring(data)
                _resolve(root, [q(n) for n in keep], [q(n) for n in drop])
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(info, data)
    destination.write_bytes(buffer.getvalue())
    return destination


def _resolve(root: etree._Element, keep: list[str], drop: list[str]) -> None:
    _properties_changes(root, rejecting=q("ins") in drop)
    for row in list(root.iter(q("tr"))):
        properties = row.find(q("trPr"))
        if properties is not None and any(child.tag in drop for child in properties):
            row.getparent().remove(row)
    for paragraph in list(root.iter(q("p"))):
        mark = paragraph.find(f"{q('pPr')}/{q('rPr')}")
        if mark is not None and any(child.tag in drop for child in mark):
            _merge_with_next(paragraph)
    for element in list(root.iter(*drop)):
        if element.getparent() is not None:
            element.getparent().remove(element)
    for element in list(root.iter(*keep)):
        parent = element.getparent()
        if parent is not None and parent.tag in (q("rPr"), q("trPr")):
            parent.remove(element)
        elif parent is not None:
            _unwrap(element)
    for text in root.iter(q("delText")):
        text.tag = q("t")
    for marker in list(root.iter(*RANGES)):
        marker.getparent().remove(marker)


def _merge_with_next(paragraph: etree._Element) -> None:
    """Remove ``paragraph``'s mark: its content moves to the start of the next paragraph, which keeps its own properties."""
    following = paragraph.xpath("following::w:p[1]", namespaces=NS)
    if not following:
        return
    target = following[0]
    content = [child for child in paragraph if child.tag != q("pPr")]
    position = 1 if len(target) and target[0].tag == q("pPr") else 0
    for offset, child in enumerate(content):
        target.insert(position + offset, child)
    paragraph.getparent().remove(paragraph)


def _unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)


def _properties_changes(root: etree._Element, rejecting: bool) -> None:
    """Accept a paragraph properties change (drop the old properties) or reject it (put them back)."""
    for change in list(root.iter(q("pPrChange"))):
        properties = change.getparent()
        old = change.find(q("pPr"))
        properties.remove(change)
        if rejecting:
            for child in [c for c in properties if c.tag not in (q("rPr"), q("sectPr"))]:
                properties.remove(child)
            for position, child in enumerate(list(old) if old is not None else []):
                properties.insert(position, child)
