"""What a reviewer's word processor does with a restored copy: reject one author's changes, drop comments.

Written with lxml from the standard's rules, so that the tests can compare the
result with the received draft paragraph by paragraph.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
COMMENT_MARKS = (f"{W}commentRangeStart", f"{W}commentRangeEnd")


STORIES = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")


def _rewrite(source: Path, destination: Path, edit) -> Path:
    """Write ``source`` with ``edit`` applied to the root of every part holding text (body, headers, notes)."""
    with zipfile.ZipFile(source) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    for name in [n for n in members if STORIES.fullmatch(n)]:
        root = etree.fromstring(members[name])
        edit(root)
        members[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    destination.write_bytes(buffer.getvalue())
    return destination


def reject_changes_of(source: Path, destination: Path, author: str) -> Path:
    """Write ``source`` with every tracked change by ``author`` rejected (Word's Reject All by that reviewer)."""
    return _rewrite(source, destination, lambda root: _reject(root, author))


def _reject(root, author: str) -> None:
    ours = [e for e in root.iter(f"{W}ins", f"{W}del") if e.get(f"{W}author") == author]
    for mark in [e for e in ours if e.getparent().tag == f"{W}rPr" and e.getparent().getparent().tag == f"{W}pPr"]:
        paragraph = mark.getparent().getparent().getparent()
        if mark.tag == f"{W}ins":
            _remove_paragraph(paragraph, author)
        else:
            mark.getparent().remove(mark)
    for element in (e for e in ours if e.getparent() is not None and e.getparent().tag != f"{W}rPr"):
        if element.tag == f"{W}ins":
            element.getparent().remove(element)
        else:
            _restore_deleted(element)


def _remove_paragraph(paragraph, author: str) -> None:
    """Remove a paragraph whose mark ``author`` inserted; what else it holds moves into the next paragraph."""
    rest = [child for child in paragraph if child.tag != f"{W}pPr"
            and not (child.tag == f"{W}ins" and child.get(f"{W}author") == author)]
    following = paragraph.getnext()
    for child in reversed(rest):
        if following is not None and following.tag == f"{W}p":
            following.insert(1 if len(following) and following[0].tag == f"{W}pPr" else 0, child)
    paragraph.getparent().remove(paragraph)


def _restore_deleted(deletion) -> None:
    inside_other_deletion = any(a.tag in (f"{W}del", f"{W}moveFrom") for a in deletion.iterancestors())
    for run in deletion.iter(f"{W}r"):
        for child in run:
            if not inside_other_deletion and child.tag == f"{W}delText":
                child.tag = f"{W}t"
            elif not inside_other_deletion and child.tag == f"{W}delInstrText":
                child.tag = f"{W}instrText"
    for child in list(deletion):
        deletion.addprevious(child)
    deletion.getparent().remove(deletion)


def without_comments(source: Path, destination: Path) -> Path:
    """Write ``source`` without its comments' marks, so that no comment shows (text and changes untouched)."""

    def strip(root):
        for mark in list(root.iter(*COMMENT_MARKS)):
            mark.getparent().remove(mark)
        for reference in list(root.iter(f"{W}commentReference")):
            run = reference.getparent()
            run.getparent().remove(run)

    return _rewrite(source, destination, strip)
