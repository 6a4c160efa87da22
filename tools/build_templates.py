"""Build the starting Word templates in templates/ (a maintainer's tool, not shipped).

The .docx files in templates/ are the source of truth: maintainers edit them in
Word. This script made their first version and can make them again from scratch
(``python tools/build_templates.py``), which overwrites both files.

A template is a docxtpl template. Programme values are Jinja tags
(``{{ signing.place }}``). Clause text is never typed into a template: each clause
stands in a content control whose tag is ``osa-clause:ID``; ``osa draft`` fills it
from the clause library.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
BODY_NUM, QUOTE_NUM = 10, 11
NUMBERED = ("grant-purpose-amount", "period-of-availability", "use-of-grant", "procurement",
            "undertakings", "information-disclosure", "monitoring-evaluation",
            "no-extra-purpose-use", "no-third-party-transfer", "un-charter-conformity",
            "consultation")


def new_document(title: str):
    """Return a document with the page, styles and numbering every Note uses."""
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(12)
    body = doc.styles.add_style("OSA Body", WD_STYLE_TYPE.PARAGRAPH)
    body.base_style = normal
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.space_after = Pt(12)
    quoted = doc.styles.add_style("OSA Quoted", WD_STYLE_TYPE.PARAGRAPH)
    quoted.base_style = body
    quoted.paragraph_format.left_indent = Cm(1.27)
    add_numbering(doc)
    add_page_number_footer(section)
    doc.core_properties.title = title
    doc.core_properties.author = "osa-agreements"
    return doc


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


def paragraph(doc, text: str = "", style: str = "OSA Body", align=None, bold=False):
    para = doc.add_paragraph(style=style)
    if text:
        para.add_run(text).bold = bold
    if align is not None:
        para.alignment = align
    return para


def clause(doc, clause_id: str, title: str, style: str = "OSA Body", num_id: int | None = None):
    """Append a content control tagged ``osa-clause:ID`` holding one paragraph for the clause."""
    numbering = (f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
                 if num_id else "")
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


def japan_note_body(doc, style: str, num_id: int) -> None:
    """Append the text of Japan's Note: opening, numbered clauses, closing."""
    paragraph(doc, "Excellency,", style=style)
    clause(doc, "opening", "Opening", style)
    for clause_id in NUMBERED:
        clause(doc, clause_id, clause_id.replace("-", " ").capitalize(), style, num_id)
    clause(doc, "entry-into-force", "Entry into force", style)
    clause(doc, "complimentary-close", "Complimentary close", style)


def signature(doc, side: str) -> None:
    paragraph(doc)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph(doc, f"{{%p if signatories.{side}.name %}}", align=right)
    paragraph(doc, f"{{{{ signatories.{side}.name }}}}", align=right)
    paragraph(doc, "{%p endif %}", align=right)
    paragraph(doc, f"{{{{ signatories.{side}.title }}}}", align=right)


def addressee(doc, side: str) -> None:
    paragraph(doc)
    left = WD_ALIGN_PARAGRAPH.LEFT
    paragraph(doc, f"{{{{ signatories.{side}.honorific }}}}", align=left)
    paragraph(doc, f"{{%p if signatories.{side}.name %}}", align=left)
    paragraph(doc, f"{{{{ signatories.{side}.name }}}}", align=left)
    paragraph(doc, "{%p endif %}", align=left)
    paragraph(doc, f"{{{{ signatories.{side}.title }}}}", align=left)


def annex(doc) -> None:
    """Append a page with the Annex: the table of products, one row per equipment item."""
    paragraph(doc).add_run().add_break(WD_BREAK.PAGE)
    paragraph(doc, "Annex", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    paragraph(doc, "List of Products: {{ programme.title }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    table = doc.add_table(rows=4, cols=4)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = ("No.", "Item", "Quantity", "Description")
    loop = ("{{ loop.index }}", "{{ product.item }}", "{{ product.quantity }}", "{{ product.description }}")
    for cell, text in zip(table.rows[0].cells, header):
        cell.paragraphs[0].add_run(text).bold = True
    table.rows[1].cells[0].paragraphs[0].add_run("{%tr for product in equipment %}")
    for cell, text in zip(table.rows[2].cells, loop):
        cell.paragraphs[0].add_run(text)
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    for row, width in zip(table.columns, (Cm(1.2), Cm(4.5), Cm(2.2), Cm(8.1))):
        for cell in row.cells:
            cell.width = width


def build_japan_note() -> None:
    doc = new_document("Note of the Government of Japan")
    date_line(doc)
    japan_note_body(doc, "OSA Body", BODY_NUM)
    signature(doc, "japan")
    addressee(doc, "recipient")
    annex(doc)
    doc.save(TEMPLATES / "japan-note.docx")


def build_reply_note() -> None:
    doc = new_document("Reply Note of the recipient Government")
    date_line(doc)
    paragraph(doc, "Excellency,")
    clause(doc, "reply-opening", "Opening of the reply")
    japan_note_body(doc, "OSA Quoted", QUOTE_NUM)
    clause(doc, "reply-confirmation", "Confirmation")
    clause(doc, "complimentary-close", "Complimentary close")
    signature(doc, "recipient")
    addressee(doc, "japan")
    annex(doc)
    doc.save(TEMPLATES / "reply-note.docx")


if __name__ == "__main__":
    build_japan_note()
    build_reply_note()
