"""Content controls in the copies we send back: each paragraph carries its own, as LibreOffice keeps them.

A block-level content control (``w:sdt`` around whole paragraphs, as ``osa draft``
writes each clause) is valid WordprocessingML, but LibreOffice 7 imports the first
paragraph of one as an input field: a comment anchored there loses its text and the
clause's text vanishes, and tracked changes inside show both the deleted and the
inserted words. The same control inside the paragraph (run level) LibreOffice
keeps, with its comments and tracked changes, and Word shows it the same way. So
the copies move each plain block-level control into the paragraphs it holds: the
same properties (tag, title) on each, the text and the paragraphs unchanged, so
``osa check`` still reads its clause tags.
"""

from __future__ import annotations

import copy

from lxml import etree

from osa_agreements.ooxml.namespaces import W_ID, W_P, W_PPR, W_SDT, W_SDTCONTENT, W_SDTPR, qn

_PLAIN_PROPERTIES = frozenset(
    qn(f"w:{name}")
    for name in ("rPr", "alias", "tag", "id", "lock", "placeholder", "temporary", "showingPlcHdr", "richText", "text")
) | {"{http://schemas.microsoft.com/office/word/2012/wordml}" + name for name in ("appearance", "color")}
"""Properties of a control that only names or guards its text: such a control may be moved, nothing else
(a table of contents, a check box, a date picker or a control bound to XML data stays where it is)."""
_SDT_END_PR = qn("w:sdtEndPr")


def inline_block_controls(root: etree._Element) -> int:
    """Move every plain block-level content control under ``root`` into the paragraphs it holds; return how many.

    Controls nested in controls are moved too, innermost first.
    """
    moved = 0
    for sdt in reversed(list(root.iter(W_SDT))):
        content = sdt.find(W_SDTCONTENT)
        if content is None or not _holds_paragraphs(content) or not _plain(sdt):
            continue
        _dissolve(sdt, content)
        moved += 1
    return moved


def _holds_paragraphs(content: etree._Element) -> bool:
    """Return whether a control's content is block level and holds paragraphs and range marks only."""
    children = [child for child in content if isinstance(child.tag, str)]
    return any(child.tag == W_P for child in children) and all(
        child.tag == W_P or child.tag.endswith(("Start", "End", "proofErr")) for child in children)


def _plain(sdt: etree._Element) -> bool:
    properties = sdt.find(W_SDTPR)
    return properties is None or all(child.tag in _PLAIN_PROPERTIES for child in properties
                                     if isinstance(child.tag, str))


def _dissolve(sdt: etree._Element, content: etree._Element) -> None:
    """Put the control's children where it stood, each paragraph's content wrapped in a copy of the control."""
    properties, end_properties = sdt.find(W_SDTPR), sdt.find(_SDT_END_PR)
    first = True
    for child in list(content):
        if child.tag == W_P and _wrap(child, properties, end_properties, keep_id=first):
            first = False
        sdt.addprevious(child)
    sdt.getparent().remove(sdt)


def _wrap(paragraph: etree._Element, properties, end_properties, keep_id: bool) -> bool:
    """Wrap the content of ``paragraph`` in a run-level control; return False when it has no content."""
    inner = [child for child in paragraph if child.tag != W_PPR]
    if not inner:
        return False
    control = etree.Element(W_SDT)
    if properties is not None:
        control.append(_properties_copy(properties, keep_id))
    if end_properties is not None:
        control.append(copy.deepcopy(end_properties))
    body = etree.SubElement(control, W_SDTCONTENT)
    inner[0].addprevious(control)
    body.extend(inner)
    return True


def _properties_copy(properties: etree._Element, keep_id: bool) -> etree._Element:
    """Return a copy of ``w:sdtPr``; only the first copy keeps the control's ``w:id``, which must be unique."""
    duplicate = copy.deepcopy(properties)
    if not keep_id:
        for element in duplicate.findall(W_ID):
            duplicate.remove(element)
    return duplicate
