"""Make examples/received/philippines-2023-japan-note-returned.docx: a Note as a counterpart returns it.

It drafts Japan's Note for the Philippines example with ``osa draft`` and edits it as
the other government's lawyers would, with tracked changes by "Counterpart Reviewer":

* paragraph 6 (information disclosure): spaces doubled (a benign change);
* paragraph 7 (monitoring and evaluation): ", to the extent possible," inserted;
* paragraph 9 (no transfer to third parties): "shall not transfer" replaced by
  "shall endeavour not to transfer";
* paragraph 10 (conformity with the Charter): reworded, in full force ("in a
  manner consistent with the purposes and principles of the United Nations
  Charter");
* a new paragraph after paragraph 10, inserted as a tracked change, that sets
  paragraphs 8 and 9 aside;
* two comments: one on the salutation, one on the new paragraph. (LibreOffice does
  not show the text of a paragraph in a content control that carries a comment, so
  the example keeps its comments off the clauses.)

The output is the same on every run (fixed dates, ids and zip timestamps), so the
README's reviewer session stays true. Usage: ``python tools/returned_example.py [OUT.docx]``.
"""

from __future__ import annotations

import copy
import datetime
import io
import sys
import tempfile
import zipfile
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from osa_agreements.drafting.notes import draft  # noqa: E402

PROGRAMME = REPO / "examples" / "philippines-2023-coastal-radar.yaml"
OUT = REPO / "examples" / "received" / "philippines-2023-japan-note-returned.docx"
AUTHOR, DATE = "Counterpart Reviewer", "2026-11-20T10:00:00Z"
COMMENT_DATE = "2026-11-22T06:28:48Z"
ZIP_TIMESTAMP = (2026, 11, 22, 6, 28, 0)
OVERRIDE = ("Notwithstanding paragraphs 8 and 9, the Government of the Republic of the Philippines may transfer "
            "the Products to any third party without the consent of the Government of Japan.")
COMMENTS = (
    ("salutation", "Our Ministry of Defence asks for more flexibility on transfers."),
    (None, "This paragraph lets the radars go to the Philippine Coast Guard without a new exchange of Notes."),
)


def clause_paragraph(document, clause_id: str):
    """Return the first paragraph of the content control ``osa draft`` put the clause in."""
    for sdt in document.element.body.iter(qn("w:sdt")):
        tag = sdt.find(f"{qn('w:sdtPr')}/{qn('w:tag')}")
        if tag is not None and tag.get(qn("w:val")).split("@")[0] == f"osa-clause:{clause_id}":
            return sdt.find(f"{qn('w:sdtContent')}/{qn('w:p')}")
    raise LookupError(clause_id)


def text_of(paragraph) -> str:
    return "".join(t.text or "" for t in paragraph.iter(qn("w:t")))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _run(text: str, deleted: bool = False) -> str:
    tag = "w:delText" if deleted else "w:t"
    return f'<w:r {nsdecls("w")}><{tag} xml:space="preserve">{_escape(text)}</{tag}></w:r>'


def _tracked(kind: str, text: str, rev_id: int) -> str:
    return (f'<w:{kind} {nsdecls("w")} w:id="{rev_id}" w:author="{AUTHOR}" w:date="{DATE}">'
            f'{_run(text, kind == "del")}</w:{kind}>')


def set_pieces(paragraph, pieces: list[str]) -> None:
    """Replace the runs of ``paragraph`` with ``pieces``: plain text, or XML of runs and revisions."""
    for child in list(paragraph):
        if child.tag != qn("w:pPr"):
            paragraph.remove(child)
    for piece in pieces:
        paragraph.append(parse_xml(piece if piece.startswith("<") else _run(piece)))


def replace_tracked(document, clause_id: str, old: str, new: str, rev_id: int) -> None:
    paragraph = clause_paragraph(document, clause_id)
    before, _, after = text_of(paragraph).partition(old)
    pieces = [before, _tracked("del", old, rev_id)] + ([_tracked("ins", new, rev_id + 1)] if new else []) + [after]
    set_pieces(paragraph, [p for p in pieces if p])


def insert_tracked(document, clause_id: str, after: str, text: str, rev_id: int) -> None:
    paragraph = clause_paragraph(document, clause_id)
    before, _, rest = text_of(paragraph).partition(after)
    set_pieces(paragraph, [before + after, _tracked("ins", text, rev_id), rest])


def add_paragraph_after(document, clause_id: str, text: str, rev_id: int):
    """Insert a numbered paragraph after the clause's content control, paragraph mark and text tracked."""
    model = clause_paragraph(document, clause_id)
    paragraph = copy.deepcopy(model)
    set_pieces(paragraph, [_tracked("ins", text, rev_id)])
    properties = paragraph.find(qn("w:pPr"))
    properties.append(parse_xml(f'<w:rPr {nsdecls("w")}><w:ins w:id="{rev_id + 1}" w:author="{AUTHOR}" '
                                f'w:date="{DATE}"/></w:rPr>'))
    model.getparent().getparent().addnext(paragraph)
    return paragraph


def comment_on(document, paragraph, text: str) -> None:
    """Add a comment by the counterpart on every run of ``paragraph`` (tracked insertions included)."""
    proxy = Paragraph(paragraph, document._body)
    runs = [Run(r, proxy) for r in paragraph.iter(qn("w:r"))]
    comment = document.add_comment(runs, text=text, author=AUTHOR)
    comment._comment_elm.set(qn("w:date"), COMMENT_DATE)


def returned_note(drafted: Path) -> docx.document.Document:
    document = docx.Document(str(drafted))
    disclosure = clause_paragraph(document, "information-disclosure")
    set_pieces(disclosure, [text_of(disclosure).replace(" ", "  ", 12)])
    insert_tracked(document, "monitoring-evaluation", "which shall", ", to the extent possible,", 903)
    replace_tracked(document, "no-third-party-transfer", "shall not transfer", "shall endeavour not to transfer", 901)
    replace_tracked(document, "un-charter-conformity",
                    "in conformity with the purposes and principles of the Charter of the United Nations",
                    "in a manner consistent with the purposes and principles of the United Nations Charter", 911)
    added = add_paragraph_after(document, "un-charter-conformity", OVERRIDE, 905)
    salutation = next(p for p in document.element.body.iter(qn("w:p")) if text_of(p).strip() == "Excellency,")
    anchors = {"salutation": salutation, None: added}
    for anchor, text in COMMENTS:
        comment_on(document, anchors[anchor], text)
    saved_by_the_counterpart(document.core_properties)
    return document


def saved_by_the_counterpart(properties) -> None:
    """Date the document properties as the counterpart's save, not the drafting run (reproducible bytes)."""
    properties.created = datetime.datetime(2026, 11, 3, 9, 0, tzinfo=datetime.timezone.utc)
    properties.modified = datetime.datetime(2026, 11, 22, 6, 28, tzinfo=datetime.timezone.utc)
    properties.last_modified_by = AUTHOR
    properties.revision = 2


def fixed_zip(data: bytes) -> bytes:
    """Return the package with every member's timestamp fixed, so that each run writes the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(zipfile.ZipInfo(info.filename, ZIP_TIMESTAMP), source.read(info), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else OUT
    with tempfile.TemporaryDirectory() as folder:
        drafted = draft(PROGRAMME, ("japan-note",), out_dir=Path(folder))[0].path
        buffer = io.BytesIO()
        returned_note(drafted).save(buffer)
    out.write_bytes(fixed_zip(buffer.getvalue()))
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
