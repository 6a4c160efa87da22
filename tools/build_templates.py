"""Build the Word templates in templates/: the reproducible source of both templates.

``python tools/build_templates.py`` writes templates/japan-note.docx and
templates/reply-note.docx from scratch (overwriting them); a test checks that the
templates in the repository are what this script makes. Maintainers who change a
template in Word should carry the change into this script, or stop relying on it.

A template is a docxtpl template. Programme values are Jinja tags
(``{{ signing.place }}``). Clause text is never typed into a template: each clause
stands in a content control whose tag is ``osa-clause:ID``; ``osa draft`` fills it
from the clause library.

The page of a Note: the closing proposal, the complimentary close, the signature
and the addressee keep together and with the last paragraph (keep with next,
keep lines together), so no page ever holds the closing block alone. The Annex
starts a page; its columns are sized to their content and its header row repeats.
In the reply, the quoted Note (indented) includes its Annex.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
BODY_NUM, QUOTE_NUM = 10, 11
QUOTE_INDENT = Cm(1.27)
TEXT_WIDTH = Cm(16.0)
NUMBERED = ("grant-purpose-amount", "period-of-availability", "use-of-grant", "use-of-facilities", "procurement",
            "undertakings", "information-disclosure", "monitoring-evaluation",
            "no-extra-purpose-use", "no-third-party-transfer", "un-charter-conformity",
            "consultation")
FOR_FACILITIES = ("use-of-facilities",)
# The Annex's columns: narrow number and quantity, a wide description (16 cm in all).
ANNEX_COLUMNS = (("No.", "{{ loop.index }}", Cm(1.2)), ("Item", "{{ %s.item }}", Cm(4.3)),
                 ("Quantity", "{{ %s.quantity }}", Cm(2.2)), ("Description", "{{ %s.description }}", Cm(8.3)))


def new_document():
    """Return a document with the page, styles and numbering every Note uses."""
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(12)
    add_styles(doc)
    add_numbering(doc)
    add_page_number_footer(section)
    return doc


def add_styles(doc) -> None:
    """Add the paragraph styles of a Note: body, quoted body, closing block, signature, addressee."""
    body = _style(doc, "OSA Body", doc.styles["Normal"])
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.space_after = Pt(12)
    body.paragraph_format.widow_control = True
    quoted = _style(doc, "OSA Quoted", body)
    quoted.paragraph_format.left_indent = QUOTE_INDENT
    closing = _style(doc, "OSA Closing", body)
    closing.paragraph_format.keep_with_next = True
    closing.paragraph_format.keep_together = True
    signature = _style(doc, "OSA Signature", closing)
    signature.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    signature.paragraph_format.left_indent = Cm(8.0)
    signature.paragraph_format.space_after = Pt(0)
    addressee = _style(doc, "OSA Addressee", closing)
    addressee.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    addressee.paragraph_format.space_after = Pt(0)
    heading = _style(doc, "OSA Annex Heading", body)
    heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.paragraph_format.keep_with_next = True
    heading.font.bold = True
    caption = _style(doc, "OSA Annex Caption", body)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.keep_with_next = True
    for name in ("OSA Annex Heading", "OSA Annex Caption"):
        indented = _style(doc, f"{name} Quoted", doc.styles[name])
        indented.paragraph_format.left_indent = QUOTE_INDENT


def _style(doc, name: str, base):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = base
    return style


def add_numbering(doc) -> None:
    """Add the Notes' list: 1. / (1) / (a), once at the margin and once indented for quotes."""
    numbering = doc.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    for num_id, indent in ((BODY_NUM, 0), (QUOTE_NUM, 720)):
        abstract = parse_xml(abstract_num_xml(num_id, indent))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        numbering.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>'))


def abstract_num_xml(num_id: int, indent: int) -> str:
    levels = (("decimal", "%1."), ("decimal", "(%2)"), ("lowerLetter", "(%3)"))
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{indent + 720 * (i + 1)}" w:hanging="720"/></w:pPr></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    return (f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}">'
            f'<w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>')


def add_page_number_footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph._p.append(parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))


def paragraph(doc, text: str = "", style: str = "OSA Body", align=None, keep_with_next=None):
    para = doc.add_paragraph(style=style)
    if text:
        para.add_run(text)
    if align is not None:
        para.alignment = align
    if keep_with_next is not None:
        para.paragraph_format.keep_with_next = keep_with_next
    return para


def clause(doc, clause_id: str, title: str, style: str = "OSA Body", num_id: int | None = None,
           keep_with_next: bool = False):
    """Append a content control tagged ``osa-clause:ID`` holding one paragraph for the clause."""
    numbering = (f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
                 if num_id else "")
    numbering += "<w:keepNext/><w:keepLines/>" if keep_with_next else ""
    style_id = doc.styles[style].style_id
    sdt = parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr><w:alias w:val="{title}"/>'
        f'<w:tag w:val="osa-clause:{clause_id}"/></w:sdtPr><w:sdtContent>'
        f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{numbering}</w:pPr>'
        f'<w:r><w:t>[clause {clause_id}]</w:t></w:r></w:p></w:sdtContent></w:sdt>')
    body = doc.element.body
    body.insert(len(body) - 1, sdt)  # before the final sectPr


def date_line(doc) -> None:
    paragraph(doc, "{{ signing.place }}, {{ signing.date }}", align=WD_ALIGN_PARAGRAPH.RIGHT)


def japan_note_body(doc, style: str, num_id: int, closing_style: str) -> None:
    """Append the text of Japan's Note: opening, numbered clauses, closing proposal and close."""
    paragraph(doc, "Excellency,", style=style)
    clause(doc, "opening", "Opening", style)
    for clause_id in NUMBERED:
        if clause_id in FOR_FACILITIES:
            paragraph(doc, "{%p if facilities %}", style=style)
        # The last numbered paragraph keeps with the closing, so that the closing never stands alone.
        clause(doc, clause_id, clause_id.replace("-", " ").capitalize(), style, num_id,
               keep_with_next=clause_id == NUMBERED[-1] and closing_style != style)
        if clause_id in FOR_FACILITIES:
            paragraph(doc, "{%p endif %}", style=style)
    clause(doc, "entry-into-force", "Entry into force", closing_style)
    clause(doc, "complimentary-close", "Complimentary close", closing_style)


def signature(doc, side: str) -> None:
    """Append the signature: room to sign, then the signatory's name (when known) and office."""
    paragraph(doc, style="OSA Signature")
    paragraph(doc, style="OSA Signature")
    paragraph(doc, f"{{%p if signatories.{side}.name %}}", style="OSA Signature")
    paragraph(doc, f"{{{{ signatories.{side}.name }}}}", style="OSA Signature")
    paragraph(doc, "{%p endif %}", style="OSA Signature")
    paragraph(doc, f"{{{{ signatories.{side}.title }}}}", style="OSA Signature")


def addressee(doc, side: str) -> None:
    """Append the addressee: form of address and name on one line, then the office."""
    paragraph(doc, style="OSA Addressee")
    paragraph(doc, f"{{{{ signatories.{side}.addressed }}}}", style="OSA Addressee")
    paragraph(doc, f"{{{{ signatories.{side}.title }}}}", style="OSA Addressee", keep_with_next=False)


def annex(doc, quoted: bool = False) -> None:
    """Append the Annex: the products, and the facilities of a programme that has any.

    Japan's Note starts it on a new page; the reply quotes it, indented, inside the quotation.
    """
    suffix = " Quoted" if quoted else ""
    heading = paragraph(doc, "Annex", style=f"OSA Annex Heading{suffix}")
    heading.paragraph_format.page_break_before = not quoted
    paragraph(doc, "List of Products: {{ programme.title }}", style=f"OSA Annex Caption{suffix}")
    annex_table(doc, "equipment", "product", quoted)
    paragraph(doc, "{%p if facilities %}", style=f"OSA Annex Caption{suffix}")
    paragraph(doc, "List of Facilities", style=f"OSA Annex Caption{suffix}").paragraph_format.space_before = Pt(12)
    annex_table(doc, "facilities", "facility", quoted)
    paragraph(doc, "{%p endif %}", style=f"OSA Annex Caption{suffix}")


def annex_table(doc, items: str, item: str, quoted: bool) -> None:
    """Append a table with a header row repeated on every page and one row per item of ``items``."""
    table = doc.add_table(rows=4, cols=len(ANNEX_COLUMNS))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER if not quoted else WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    scale = (TEXT_WIDTH - QUOTE_INDENT) / TEXT_WIDTH if quoted else 1.0
    widths = [int(width * scale) for _, _, width in ANNEX_COLUMNS]
    for column, width in zip(table.columns, widths):
        column.width = width
        for cell in column.cells:
            cell.width = width
    header, start, row, end = table.rows
    for cell, (title, _, _) in zip(header.cells, ANNEX_COLUMNS):
        cell.paragraphs[0].add_run(title).bold = True
    start.cells[0].paragraphs[0].add_run(f"{{%tr for {item} in {items} %}}")
    for cell, (_, text, _) in zip(row.cells, ANNEX_COLUMNS):
        cell.paragraphs[0].add_run(text % item if "%s" in text else text)
    end.cells[0].paragraphs[0].add_run("{%tr endfor %}")
    for each in (header, row):
        each.cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _row_properties(each, repeat=each is header)
    _table_properties(table, sum(widths), QUOTE_INDENT if quoted else 0)
    paragraph(doc, style="OSA Body" if not quoted else "OSA Quoted")


def _row_properties(row, repeat: bool) -> None:
    """Keep a row on one page; repeat the header row at the top of every page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
    if repeat:
        tr_pr.append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))


def _table_properties(table, width: int, indent: int) -> None:
    """Give the table a fixed layout of ``width`` (EMU), indented by ``indent``."""
    tbl_pr = table._tbl.tblPr
    for name in ("w:tblW", "w:tblLayout", "w:tblInd"):
        for old in tbl_pr.findall(qn(name)):
            tbl_pr.remove(old)
    tbl_pr.append(parse_xml(f'<w:tblW {nsdecls("w")} w:w="{width // 635}" w:type="dxa"/>'))
    if indent:
        tbl_pr.append(parse_xml(f'<w:tblInd {nsdecls("w")} w:w="{indent // 635}" w:type="dxa"/>'))
    tbl_pr.append(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))


def finish(doc, title: str, path: Path) -> None:
    """Set the template's properties, drop python-docx's thumbnail, and save."""
    properties = doc.core_properties
    properties.title, properties.author, properties.last_modified_by = title, "osa-agreements", "osa-agreements"
    properties.comments = properties.keywords = properties.subject = ""
    properties.revision = 1
    package = doc.part.package
    for rid in [rid for rid, rel in package.rels.items() if rel.reltype == RT.THUMBNAIL]:
        package.rels.pop(rid)
    doc.save(path)


def build_japan_note(path: Path) -> None:
    doc = new_document()
    date_line(doc)
    japan_note_body(doc, "OSA Body", BODY_NUM, "OSA Closing")
    signature(doc, "japan")
    addressee(doc, "recipient")
    annex(doc)
    finish(doc, "Note of the Government of Japan", path)


def build_reply_note(path: Path) -> None:
    doc = new_document()
    date_line(doc)
    paragraph(doc, "Excellency,")
    clause(doc, "reply-opening", "Opening of the reply")
    japan_note_body(doc, "OSA Quoted", QUOTE_NUM, "OSA Quoted")
    annex(doc, quoted=True)
    clause(doc, "reply-confirmation", "Confirmation", "OSA Closing")
    clause(doc, "complimentary-close", "Complimentary close", "OSA Closing")
    signature(doc, "recipient")
    addressee(doc, "japan")
    finish(doc, "Reply Note of the recipient Government", path)


def build(directory: Path = TEMPLATES) -> None:
    """Write both templates into ``directory``."""
    build_japan_note(directory / "japan-note.docx")
    build_reply_note(directory / "reply-note.docx")


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATES)
