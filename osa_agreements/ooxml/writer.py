"""Writing drafts: fill the clause content controls of a rendered template, record properties.

A template marks where each clause goes with a content control (``w:sdt``) whose
tag is ``osa-clause:ID``. Filling replaces its placeholder paragraph with the
clause's paragraphs (sub-paragraphs one numbering level lower) and re-tags it
``osa-clause:ID@VERSION`` (``/VARIANT`` for an approved alternative wording), so
that a later check can find it.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from osa_agreements.ooxml.namespaces import NAMESPACES, qn

CLAUSE_TAG_PREFIX = "osa-clause:"
_CUSTOM_PROPS_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_NS = NAMESPACES["op"]
_VT_NS = NAMESPACES["vt"]
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_EXTENDED_PROPS_CT = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
_EXTENDED_NS = NAMESPACES["ep"]


@dataclass(frozen=True)
class DocumentProperties:
    """What File > Properties shows of a Note: title, subject, author, company, when, which application."""

    title: str
    subject: str
    author: str
    company: str
    created: dt.datetime
    application: str

    def to_dict(self) -> dict:
        """Return the properties as plain data, the date in ISO 8601."""
        return {"title": self.title, "subject": self.subject, "author": self.author, "company": self.company,
                "created": self.created.isoformat(), "application": self.application}


@dataclass(frozen=True)
class ClauseFill:
    """What goes into one clause control: its new tag, title and paragraphs of text."""

    tag: str
    title: str
    paragraphs: tuple[str, ...]


def clause_controls(root) -> list[tuple[str, object]]:
    """Return ``(clause id, sdt element)`` for every clause content control under ``root``."""
    found = []
    for sdt in root.iter(qn("w:sdt")):
        tag = sdt.find(f"{qn('w:sdtPr')}/{qn('w:tag')}")
        value = tag.get(qn("w:val"), "") if tag is not None else ""
        if value.startswith(CLAUSE_TAG_PREFIX):
            found.append((value[len(CLAUSE_TAG_PREFIX):].split("@")[0], sdt))
    return found


def control_text(sdt) -> str:
    """Return the visible text of a content control, paragraphs joined by newlines."""
    content = sdt.find(qn("w:sdtContent"))
    paragraphs = content.findall(f".//{qn('w:p')}") if content is not None else []
    if not paragraphs and content is not None:
        return "".join(t.text or "" for t in content.iter(qn("w:t")))
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in paragraphs)


def fill_control(sdt, fill: ClauseFill) -> None:
    """Replace the content of clause control ``sdt`` with ``fill``; retag and retitle it."""
    properties = sdt.find(qn("w:sdtPr"))
    _set_child_val(properties, "w:tag", fill.tag)
    _set_child_val(properties, "w:alias", fill.title)
    for placeholder_flag in properties.findall(qn("w:showingPlcHdr")):
        properties.remove(placeholder_flag)
    content = sdt.find(qn("w:sdtContent"))
    prototype = content.find(qn("w:p")) if content is not None else None
    if prototype is None:
        _fill_inline(content, fill)
        return
    for child in list(content):
        content.remove(child)
    for level, text in enumerate(fill.paragraphs):
        content.append(_paragraph_like(prototype, text, level > 0, level))


def _fill_inline(content, fill: ClauseFill) -> None:
    """Fill a run-level control: one run with the clause's paragraphs joined by spaces."""
    runs = content.findall(qn("w:r"))
    run = copy.deepcopy(runs[0]) if runs else etree.SubElement(content, qn("w:r"))
    for child in list(content):
        content.remove(child)
    _set_run_text(run, " ".join(fill.paragraphs))
    content.append(run)


def _paragraph_like(prototype, text: str, is_item: bool, position: int):
    """Return a copy of ``prototype`` holding ``text``, one list level deeper for items."""
    paragraph = copy.deepcopy(prototype)
    first_run = paragraph.find(qn("w:r"))
    run = copy.deepcopy(first_run) if first_run is not None else etree.Element(qn("w:r"))
    for child in list(paragraph):
        if child.tag != qn("w:pPr"):
            paragraph.remove(child)
    if is_item and not _deepen_numbering(paragraph):
        text = f"({_letter(position)}) {text}"
    _set_run_text(run, text)
    paragraph.append(run)
    return paragraph


def _deepen_numbering(paragraph) -> bool:
    """Move a numbered paragraph one list level down; return False when it is not numbered."""
    level = paragraph.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:ilvl')}")
    if level is None:
        return False
    level.set(qn("w:val"), str(int(level.get(qn("w:val"), "0")) + 1))
    return True


def _letter(position: int) -> str:
    return "abcdefghijklmnopqrstuvwxyz"[(position - 1) % 26]


def _set_run_text(run, text: str) -> None:
    for child in list(run):
        if child.tag != qn("w:rPr"):
            run.remove(child)
    node = etree.SubElement(run, qn("w:t"))
    node.text = text
    node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _set_child_val(parent, name: str, value: str) -> None:
    child = parent.find(qn(name))
    if child is None:
        child = etree.SubElement(parent, qn(name))
        if name == "w:alias":
            parent.remove(child)
            parent.insert(0, child)  # w:alias comes first in w:sdtPr
    child.set(qn("w:val"), value)


def set_custom_properties(document, properties: dict[str, str]) -> None:
    """Record ``properties`` as custom document properties (File > Properties > Custom)."""
    package = document.part.package
    existing = _custom_properties_part(package)
    root = etree.fromstring(existing.blob) if existing is not None else etree.Element(
        f"{{{_CUSTOM_NS}}}Properties", nsmap={None: _CUSTOM_NS, "vt": _VT_NS})
    for name, value in properties.items():
        _set_custom_property(root, name, value)
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if existing is not None:
        existing._blob = blob
    else:
        part = Part(PackURI("/docProps/custom.xml"), _CUSTOM_PROPS_CT, blob, package)
        package.relate_to(part, RT.CUSTOM_PROPERTIES)


def _custom_properties_part(package):
    for rel in package.rels.values():
        if rel.reltype == RT.CUSTOM_PROPERTIES and not rel.is_external:
            return rel.target_part
    return None


def _set_custom_property(root, name: str, value: str) -> None:
    for prop in root.findall(f"{{{_CUSTOM_NS}}}property"):
        if prop.get("name") == name:
            root.remove(prop)
    pids = [int(p.get("pid", "1")) for p in root.findall(f"{{{_CUSTOM_NS}}}property")]
    prop = etree.SubElement(root, f"{{{_CUSTOM_NS}}}property",
                            fmtid=_FMTID, pid=str(max(pids, default=1) + 1), name=name)
    etree.SubElement(prop, f"{{{_VT_NS}}}lpwstr").text = value


def set_document_properties(document, properties: DocumentProperties) -> None:
    """Set the core and extended (app.xml) properties of ``document``, and drop any thumbnail.

    Created and modified are the drafting time; the template's author, dates,
    revision and preview picture do not pass to the Note.
    """
    core = document.core_properties
    core.title, core.subject = properties.title, properties.subject
    core.author = core.last_modified_by = properties.author
    core.created = core.modified = properties.created.replace(tzinfo=None)
    core.revision = 1
    core.keywords = core.comments = core.category = ""
    package = document.part.package
    for rid in [rid for rid, rel in package.rels.items() if rel.reltype == RT.THUMBNAIL]:
        package.rels.pop(rid)
    _set_extended_properties(package, properties)


def _set_extended_properties(package, properties: DocumentProperties) -> None:
    root = etree.Element(f"{{{_EXTENDED_NS}}}Properties", nsmap={None: _EXTENDED_NS, "vt": _VT_NS})
    for name, value in (("Application", properties.application), ("DocSecurity", "0"),
                        ("Company", properties.company)):
        etree.SubElement(root, f"{{{_EXTENDED_NS}}}{name}").text = value
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    existing = [rel.target_part for rel in package.rels.values()
                if rel.reltype == RT.EXTENDED_PROPERTIES and not rel.is_external]
    if existing:
        existing[0]._blob = blob
    else:
        part = Part(PackURI("/docProps/app.xml"), _EXTENDED_PROPS_CT, blob, package)
        package.relate_to(part, RT.EXTENDED_PROPERTIES)
