"""A draft saved again by another word processor reads the same: LibreOffice rewrites all the XML."""

from __future__ import annotations

import shutil

import pytest

from docx_builders import build_docx, footnotes, header, libreoffice_convert, numbering, paragraph
from osa_agreements.ooxml.reader import read_document

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")

LISTS = numbering(
    "<w:abstractNum w:abstractNumId='0'>"
    "<w:lvl w:ilvl='0'><w:start w:val='1'/><w:numFmt w:val='decimal'/><w:lvlText w:val='%1.'/></w:lvl>"
    "<w:lvl w:ilvl='1'><w:start w:val='1'/><w:numFmt w:val='lowerLetter'/><w:lvlText w:val='(%2)'/></w:lvl>"
    "</w:abstractNum><w:num w:numId='1'><w:abstractNumId w:val='0'/></w:num>"
)


def item(text, level=0):
    numpr = f"<w:pPr><w:numPr><w:ilvl w:val='{level}'/><w:numId w:val='1'/></w:numPr></w:pPr>"
    return paragraph(text, numpr)


BODY = (
    paragraph("Exchange of Notes")
    + item("The Government of Japan shall provide the equipment.")
    + item("radars", 1)
    + item("training", 1)
    + item("The Parties shall consult.")
    + "<w:p><w:r><w:t xml:space='preserve'>Transfer </w:t></w:r>"
    "<w:ins w:id='1' w:author='Drafter' w:date='2024-01-01T00:00:00Z'><w:r><w:t xml:space='preserve'>shall promptly </w:t></w:r></w:ins>"
    "<w:del w:id='2' w:author='Reviewer' w:date='2024-01-02T00:00:00Z'><w:r><w:delText xml:space='preserve'>may </w:delText></w:r></w:del>"
    "<w:r><w:t xml:space='preserve'>be notified.</w:t></w:r><w:r><w:footnoteReference w:id='1'/></w:r></w:p>"
    "<w:p><w:r><w:t xml:space='preserve'>Page </w:t></w:r><w:r><w:fldChar w:fldCharType='begin'/></w:r>"
    "<w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType='separate'/></w:r>"
    "<w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType='end'/></w:r></w:p>"
    "<w:tbl><w:tblGrid><w:gridCol w:w='4000'/><w:gridCol w:w='4000'/></w:tblGrid><w:tr>"
    f"<w:tc>{paragraph('Item')}<w:tbl><w:tblGrid><w:gridCol w:w='2000'/></w:tblGrid><w:tr><w:tc>{paragraph('nested')}</w:tc></w:tr></w:tbl>"
    f"{paragraph('after nested')}</w:tc><w:tc>{paragraph('Quantity')}</w:tc></w:tr></w:tbl>"
    + "<w:p><w:r><w:t xml:space='preserve'>Visible</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r></w:p>"
    + paragraph("Done at Tokyo.")
)


def readable(document):
    """Return what must survive a round trip: place, text, label and revision kinds of non-empty blocks."""
    return [
        (block.part, block.accepted, block.original, block.number, [r.kind for r in block.revisions])
        for block in document.blocks
        if block.accepted
    ]


def test_libreoffice_round_trip_keeps_the_accepted_text(tmp_path):
    footnote = "<w:footnote w:id='1'><w:p><w:r><w:t>Within one month.</w:t></w:r></w:p></w:footnote>"
    source = build_docx(tmp_path / "draft.docx", BODY, LISTS, header(paragraph("RESTRICTED")), footnotes(footnote))
    converted = libreoffice_convert(source, tmp_path / "lo", "docx")
    assert converted.read_bytes() != source.read_bytes()
    assert readable(read_document(converted)) == readable(read_document(source))
    assert ("document", "Transfer shall promptly be notified.", "Transfer may be notified.", None, ["insert", "delete"]) in (
        readable(read_document(source))
    )
