"""Edits a reviewer's counterpart might make to a draft, applied to a real .docx.

Each edit is a function ``(document, **arguments)`` working on a python-docx
Document (whose elements are lxml elements); the corpus in ``corpus/edits.yaml``
names them. Clauses are found by the content control ``osa draft`` put them in.
"""

from __future__ import annotations

import copy
from pathlib import Path

import docx
import docx.text.paragraph
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

AUTHOR, DATE = "Counterpart Reviewer", "2026-11-20T10:00:00Z"


def clause_paragraph(document, clause_id: str):
    """Return the first paragraph element of the clause's content control."""
    for sdt in document.element.body.iter(qn("w:sdt")):
        tag = sdt.find(f"{qn('w:sdtPr')}/{qn('w:tag')}")
        if tag is not None and tag.get(qn("w:val")).split("@")[0] == f"osa-clause:{clause_id}":
            return sdt.find(f"{qn('w:sdtContent')}/{qn('w:p')}")
    raise LookupError(clause_id)


def paragraph_text(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def set_runs(p, pieces) -> None:
    """Replace the runs of ``p`` with ``pieces``: strings (plain runs) or XML strings of runs/revisions."""
    for child in list(p):
        if child.tag != qn("w:pPr"):
            p.remove(child)
    for piece in pieces:
        p.append(parse_xml(piece) if piece.startswith("<") else _run(piece))


def _run(text: str, tag: str = "w:t", props: str = ""):
    return parse_xml(f'<w:r {nsdecls("w")}>{props}<{tag} xml:space="preserve">{_escape(text)}</{tag}></w:r>')


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _revision(kind: str, text: str, rev_id: int) -> str:
    tag = "w:delText" if kind == "del" else "w:t"
    return (f'<w:{kind} {nsdecls("w")} w:id="{rev_id}" w:author="{AUTHOR}" w:date="{DATE}">'
            f'<w:r><{tag} xml:space="preserve">{_escape(text)}</{tag}></w:r></w:{kind}>')


def _split(p, old: str) -> tuple[str, str]:
    text = paragraph_text(p)
    if old not in text:
        raise ValueError(f"{old!r} not in {text!r}")
    before, _, after = text.partition(old)
    return before, after


# The edits ---------------------------------------------------------------

def replace(document, clause: str, old: str, new: str) -> None:
    """Change words in place, without tracking."""
    p = clause_paragraph(document, clause)
    before, after = _split(p, old)
    set_runs(p, [before + new + after])


def tracked_replace(document, clause: str, old: str, new: str) -> None:
    """Change words as a tracked deletion followed by a tracked insertion."""
    p = clause_paragraph(document, clause)
    before, after = _split(p, old)
    pieces = [before, _revision("del", old, 901)] + ([_revision("ins", new, 902)] if new else []) + [after]
    set_runs(p, [x for x in pieces if x])


def tracked_insert(document, clause: str, after: str, text: str) -> None:
    """Insert words after ``after`` as a tracked insertion."""
    p = clause_paragraph(document, clause)
    before, rest = _split(p, after)
    set_runs(p, [before + after, _revision("ins", text, 903), rest])


def tracked_delete_clause(document, clause: str) -> None:
    """Delete the whole clause as a tracked deletion, paragraph mark included."""
    p = clause_paragraph(document, clause)
    text = paragraph_text(p)
    set_runs(p, [_revision("del", text, 904)])
    ppr = p.find(qn("w:pPr"))
    ppr.append(parse_xml(f'<w:rPr {nsdecls("w")}><w:del w:id="905" w:author="{AUTHOR}" w:date="{DATE}"/></w:rPr>'))


def delete_clause(document, clause: str) -> None:
    """Remove the clause, content control and all, without a trace."""
    sdt = clause_paragraph(document, clause).getparent().getparent()
    sdt.getparent().remove(sdt)


def split_runs(document, clause: str) -> None:
    """Put every character in a run of its own, with proofing marks and a bookmark between."""
    p = clause_paragraph(document, clause)
    text = paragraph_text(p)
    pieces = [f'<w:proofErr {nsdecls("w")} w:type="spellStart"/>', f'<w:bookmarkStart {nsdecls("w")} w:id="77" w:name="b"/>']
    set_runs(p, pieces + list(text) + [f'<w:bookmarkEnd {nsdecls("w")} w:id="77"/>'])


def typographic(document, clause: str) -> None:
    """Curly quotes, en dashes, non-breaking and doubled spaces, a line break."""
    p = clause_paragraph(document, clause)
    text = paragraph_text(p).replace(' "', " \u201c").replace('"', "\u201d").replace("'", "\u2019")
    words = text.split(" ")
    half = len(words) // 2
    set_runs(p, ["  ".join(words[:half]) + "\u00a0", f'<w:r {nsdecls("w")}><w:br/></w:r>', " ".join(words[half:])])


def typed_label(document, clause: str, label: str) -> None:
    """Replace automatic numbering with a label typed as text."""
    p = clause_paragraph(document, clause)
    numpr = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
    if numpr is not None:
        numpr.getparent().remove(numpr)
    set_runs(p, [label + "\t" + paragraph_text(p)])


def hide(document, clause: str) -> None:
    """Format the clause as hidden text."""
    p = clause_paragraph(document, clause)
    set_runs(p, [f'<w:r {nsdecls("w")}><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve">{_escape(paragraph_text(p))}</w:t></w:r>'])


def into_comment(document, clause: str) -> None:
    """Remove the clause from the text and keep its words only in a comment on the first paragraph."""
    text = paragraph_text(clause_paragraph(document, clause))
    delete_clause(document, clause)
    anchor = document.paragraphs[0]
    document.add_comment(anchor.runs, text=text, author=AUTHOR)


def merge_with_next(document, clause: str) -> None:
    """Join the clause's paragraph and the next clause's paragraph into one."""
    p = clause_paragraph(document, clause)
    sdt = p.getparent().getparent()
    following = sdt.getnext().find(f".//{qn('w:p')}")
    set_runs(following, [paragraph_text(p) + " " + paragraph_text(following)])
    sdt.getparent().remove(sdt)


def split_paragraph(document, clause: str, at: str) -> None:
    """Split the clause's paragraph in two before the words ``at``."""
    p = clause_paragraph(document, clause)
    before, after = _split(p, at)
    second = copy.deepcopy(p)
    set_runs(p, [before.rstrip()])
    set_runs(second, [at + after])
    p.addnext(second)


def move_to_end(document, clause: str) -> None:
    """Move the clause's content control to the end of the body."""
    sdt = clause_paragraph(document, clause).getparent().getparent()
    body = document.element.body
    body.remove(sdt)
    body.insert(len(body) - 1, sdt)


def into_table(document, clause: str) -> None:
    """Move the clause's paragraph into a cell of a new table at the end of the body."""
    p = clause_paragraph(document, clause)
    text = paragraph_text(p)
    delete_clause(document, clause)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Article"
    table.cell(0, 1).text = text


def into_textbox(document, clause: str) -> None:
    """Move the clause's words into a text box anchored in a new paragraph (DrawingML with VML fallback)."""
    text = _escape(paragraph_text(clause_paragraph(document, clause)))
    delete_clause(document, clause)
    _add_textbox(document, text)


def _add_textbox(document, text: str) -> None:
    box = f'<w:txbxContent><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:txbxContent>'
    xml = (f'<w:p {nsdecls("w")} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
           'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
           'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
           'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:v="urn:schemas-microsoft-com:vml">'
           '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:inline>'
           '<wp:extent cx="5000000" cy="1000000"/><wp:docPr id="501" name="Text Box 1"/>'
           '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
           f'<wps:wsp><wps:spPr/><wps:txbx>{box}</wps:txbx><wps:bodyPr/></wps:wsp>'
           '</a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice>'
           f'<mc:Fallback><w:pict><v:shape style="width:400pt;height:80pt"><v:textbox>{box}</v:textbox>'
           '</v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>')
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(xml))


def into_header(document, clause: str) -> None:
    """Move the clause's words into the page header."""
    text = paragraph_text(clause_paragraph(document, clause))
    delete_clause(document, clause)
    document.sections[0].header.paragraphs[0].text = text


def add_paragraph(document, after: str, text: str, tracked: bool = False) -> None:
    """Add a paragraph numbered like the clause's, after the clause's content control; ``tracked``: as an insertion."""
    p = clause_paragraph(document, after)
    new = copy.deepcopy(p)
    set_runs(new, [_revision("ins", text, 906)] if tracked else [text])
    if tracked:
        new.find(qn("w:pPr")).append(parse_xml(
            f'<w:rPr {nsdecls("w")}><w:ins w:id="907" w:author="{AUTHOR}" w:date="{DATE}"/></w:rPr>'))
    p.getparent().getparent().addnext(new)


def table_paragraph(document, text: str) -> None:
    """Add a table of one row at the end of the body, its second cell holding ``text``."""
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Schedule"
    table.cell(0, 1).text = text


def annex_paragraph(document, text: str) -> None:
    """Add ``text`` to the last cell of the Annex's table of products."""
    document.tables[-1].rows[-1].cells[-1].add_paragraph(text)


def textbox_paragraph(document, text: str) -> None:
    """Add a text box holding ``text`` in a new paragraph at the end of the body."""
    _add_textbox(document, _escape(text))


def header_text(document, text: str) -> None:
    """Write ``text`` in the page header."""
    document.sections[0].header.paragraphs[0].text = text


def comment(document, clause: str, text: str) -> None:
    """Add a comment by the counterpart on the clause's paragraph."""
    p = clause_paragraph(document, clause)
    paragraph = docx.text.paragraph.Paragraph(p, document._body)
    document.add_comment(paragraph.runs, text=text, author=AUTHOR)


def retag(document, clause: str, tag: str) -> None:
    """Give the clause's content control another tag (another clause id, version or wording)."""
    sdt = clause_paragraph(document, clause).getparent().getparent()
    sdt.find(f"{qn('w:sdtPr')}/{qn('w:tag')}").set(qn("w:val"), tag)


def date_line(document, text: str) -> None:
    """Replace the date line ("Manila, 3 November 2023") with ``text``."""
    set_runs(document.element.body.find(qn("w:p")), [text])


EDITS = {f.__name__: f for f in (
    replace, tracked_replace, tracked_insert, tracked_delete_clause, delete_clause, split_runs,
    typographic, typed_label, hide, into_comment, merge_with_next, split_paragraph, move_to_end,
    into_table, into_textbox, into_header, add_paragraph, table_paragraph, annex_paragraph, textbox_paragraph,
    header_text, comment, retag, date_line,
)}


def apply_edits(source: Path, destination: Path, edits: list[dict]) -> Path:
    """Write ``source`` with ``edits`` applied (each ``{edit: name, ...arguments}``) to ``destination``."""
    document = docx.Document(str(source))
    for edit in edits:
        arguments = {k: v for k, v in edit.items() if k != "edit"}
        EDITS[edit["edit"]](document, **arguments)
    document.save(str(destination))
    return destination
