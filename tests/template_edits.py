"""Editing real Word templates in tests, the way a maintainer would in Word, with lxml."""

from __future__ import annotations

import copy
import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from .conftest import REPO

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"


def workspace(tmp_path: Path, examples: tuple[str, ...] = ("fiji-2023-patrol-boats",)) -> Path:
    """Return a folder holding copies of clause_library/, templates/ and the chosen examples/."""
    root = tmp_path / "work"
    shutil.copytree(REPO / "clause_library", root / "clause_library")
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "examples").mkdir()
    for name in examples:
        shutil.copy(REPO / "examples" / f"{name}.yaml", root / "examples")
    return root


def edit_part(docx: Path, edit: Callable[[etree._Element], None], part: str = "word/document.xml") -> None:
    """Apply ``edit`` to the XML of ``part`` of the .docx at ``docx``, in place."""
    with zipfile.ZipFile(docx) as source:
        members = {info.filename: source.read(info.filename) for info in source.infolist()}
    root = etree.fromstring(members[part])
    edit(root)
    members[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)
    docx.write_bytes(buffer.getvalue())


def paragraph_text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(f"{W}t"))


def paragraph_with(root: etree._Element, text: str) -> etree._Element:
    """Return the first paragraph whose text contains ``text``."""
    return next(p for p in root.iter(f"{W}p") if text in paragraph_text(p))


def set_runs(paragraph: etree._Element, *texts: str, bold_from: int = 1) -> None:
    """Replace the runs of ``paragraph`` with one run per text, bold from run ``bold_from`` on."""
    for run in paragraph.findall(f"{W}r"):
        paragraph.remove(run)
    for position, text in enumerate(texts):
        run = etree.SubElement(paragraph, f"{W}r")
        if position >= bold_from:
            etree.SubElement(etree.SubElement(run, f"{W}rPr"), f"{W}b")
        node = etree.SubElement(run, f"{W}t")
        node.text = text
        node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def clause_control(root: etree._Element, clause_id: str) -> etree._Element:
    """Return the content control tagged ``osa-clause:clause_id``."""
    return next(sdt for sdt in root.iter(f"{W}sdt")
                if sdt.find(f"{W}sdtPr/{W}tag").get(f"{W}val") == f"osa-clause:{clause_id}")


def add_clause_control(docx: Path, clause_id: str, after: str) -> None:
    """Insert a control for ``clause_id`` after the one for ``after``, formatted like it (as in Word)."""
    def edit(root):
        model = clause_control(root, after)
        sdt = copy.deepcopy(model)
        sdt.find(f"{W}sdtPr/{W}tag").set(f"{W}val", f"osa-clause:{clause_id}")
        sdt.find(f"{W}sdtPr/{W}alias").set(f"{W}val", clause_id)
        sdt.find(f".//{W}t").text = f"[clause {clause_id}]"
        model.addnext(sdt)
    edit_part(docx, edit)


def remove_clause_control(docx: Path, clause_id: str) -> None:
    def edit(root):
        sdt = clause_control(root, clause_id)
        sdt.getparent().remove(sdt)
    edit_part(docx, edit)


def insert_paragraphs_after(docx: Path, clause_id: str, *paragraphs: str) -> None:
    """Insert paragraphs (given as WordprocessingML, in the w: namespace) after a clause control."""
    def edit(root):
        anchor = clause_control(root, clause_id)
        for xml in reversed(paragraphs):
            anchor.addnext(etree.fromstring(f'<w:p xmlns:w="{W_NS}">{xml}</w:p>'))
    edit_part(docx, edit)


def numbered(text: str, num_id: int, level: int = 0) -> str:
    """Return the inside of a paragraph of list ``num_id`` holding ``text``."""
    return (f'<w:pPr><w:pStyle w:val="OSABody"/><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/>'
            f'</w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r>')


def plain(text: str) -> str:
    return f'<w:pPr><w:pStyle w:val="OSABody"/></w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def add_list(docx: Path, num_id: int, abstract_id: int, restart_at: int | None = None) -> None:
    """Add list ``num_id`` to numbering.xml, counting with abstract list ``abstract_id`` (restarting if asked)."""
    def edit(root):
        num = etree.SubElement(root, f"{W}num")
        num.set(f"{W}numId", str(num_id))
        etree.SubElement(num, f"{W}abstractNumId").set(f"{W}val", str(abstract_id))
        if restart_at is not None:
            override = etree.SubElement(num, f"{W}lvlOverride")
            override.set(f"{W}ilvl", "0")
            etree.SubElement(override, f"{W}startOverride").set(f"{W}val", str(restart_at))
    edit_part(docx, edit, "word/numbering.xml")


def copy_abstract_list(docx: Path, source_id: int, new_id: int) -> None:
    """Add abstract list ``new_id``, a copy of ``source_id``: same look, its own count."""
    def edit(root):
        source = next(a for a in root.iter(f"{W}abstractNum") if a.get(f"{W}abstractNumId") == str(source_id))
        twin = copy.deepcopy(source)
        twin.set(f"{W}abstractNumId", str(new_id))
        source.addnext(twin)
    edit_part(docx, edit, "word/numbering.xml")
