"""Tracked changes and comments written at offsets of the accepted text, and content controls LibreOffice keeps."""

from __future__ import annotations

from lxml import etree

from docx_builders import build_docx, header, paragraph, read_members
from osa_agreements.ooxml.annotate import Note, Restoration, Reviewer, annotate, write_copy
from osa_agreements.ooxml.reader import read_document
from tests.review_edits import reject_changes_of

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
US = Reviewer("Treaty Division", "TD", "2026-12-01T09:00:00Z")
INSERTED = "<w:ins w:id='5' w:author='Counterpart' w:date='2026-11-20T10:00:00Z'>{}</w:ins>"


def control(tag: str, body: str, extra: str = "") -> str:
    return f"<w:sdt><w:sdtPr><w:alias w:val='T'/><w:tag w:val='{tag}'/><w:id w:val='7'/>{extra}</w:sdtPr>" \
           f"<w:sdtContent>{body}</w:sdtContent></w:sdt>"


def body_of(path):
    return etree.fromstring(read_members(path)["word/document.xml"]).find(f"{W}body")


def test_block_controls_move_into_their_paragraphs_and_read_the_same(tmp_path):
    source = build_docx(tmp_path / "d.docx", paragraph("Opening")
                        + control("osa-clause:procurement@1.0.0", paragraph("First") + paragraph("Second")))
    annotate(source, tmp_path / "a.docx", [Note("document", 1, 1, "note")], reviewer=US)
    body = body_of(tmp_path / "a.docx")
    assert [child.tag for child in body][:3] == [f"{W}p"] * 3
    inline = [p.find(f"{W}sdt") for p in body.findall(f"{W}p")[1:3]]
    assert [s.find(f"{W}sdtPr/{W}tag").get(f"{W}val") for s in inline] == ["osa-clause:procurement@1.0.0"] * 2
    assert [len(s.findall(f"{W}sdtPr/{W}id")) for s in inline] == [1, 0]
    assert read_document(tmp_path / "a.docx").blocks == read_document(source).blocks


def test_controls_that_are_more_than_a_name_stay_where_they_are(tmp_path):
    source = build_docx(tmp_path / "d.docx", control("toc", paragraph("Contents"), "<w:docPartObj/>"))
    annotate(source, tmp_path / "a.docx", [Note("document", 1, 1, "note")], reviewer=US)
    assert body_of(tmp_path / "a.docx")[0].tag == f"{W}sdt"


def test_a_restoration_replaces_only_the_words_of_the_clause(tmp_path):
    text = "Preamble words. The Party should not transfer it. Closing words."
    source = build_docx(tmp_path / "d.docx", paragraph(text))
    begin, finish = text.index("The Party"), text.index(" Closing")
    write_copy(source, tmp_path / "r.docx", US,
               restorations=[Restoration("document", 1, 1, begin, finish, "The Party shall not transfer it.", "why")])
    [block] = read_document(tmp_path / "r.docx").blocks
    assert block.accepted == "Preamble words. The Party shall not transfer it. Closing words."
    assert [(r.kind, r.author, r.text) for r in block.revisions] == [
        ("insert", "Treaty Division", "The Party shall not transfer it."),
        ("delete", "Treaty Division", "The Party should not transfer it.")]
    assert read_document(reject_changes_of(tmp_path / "r.docx", tmp_path / "x.docx", "Treaty Division")).blocks \
        == read_document(source).blocks


def test_words_the_counterpart_inserted_are_deleted_inside_their_insertion(tmp_path):
    body = ("<w:p><w:r><w:t xml:space='preserve'>It shall</w:t></w:r>"
            + INSERTED.format("<w:r><w:t xml:space='preserve'>, where possible,</w:t></w:r>")
            + "<w:r><w:t xml:space='preserve'> report.</w:t></w:r></w:p>")
    source = build_docx(tmp_path / "d.docx", body)
    length = len(read_document(source).blocks[0].accepted)
    write_copy(source, tmp_path / "r.docx", US,
               restorations=[Restoration("document", 1, 1, 0, length, "It shall report.", "why")])
    theirs = [e for e in body_of(tmp_path / "r.docx").iter(f"{W}ins") if e.get(f"{W}author") == "Counterpart"]
    assert [d.get(f"{W}author") for d in theirs[0].iter(f"{W}del")] == ["Treaty Division"]
    assert read_document(tmp_path / "r.docx").blocks[0].accepted == "It shall report."
    rejected = reject_changes_of(tmp_path / "r.docx", tmp_path / "x.docx", "Treaty Division")
    assert read_document(rejected).blocks == read_document(source).blocks


def test_a_restoration_over_two_paragraphs_joins_them(tmp_path):
    source = build_docx(tmp_path / "d.docx", paragraph("The Party shall,") + paragraph("where possible, report."))
    write_copy(source, tmp_path / "r.docx", US,
               restorations=[Restoration("document", 1, 2, 0, None, "The Party shall report.", "why")])
    assert [b.accepted for b in read_document(tmp_path / "r.docx").blocks] == ["The Party shall report."]
    rejected = reject_changes_of(tmp_path / "r.docx", tmp_path / "x.docx", "Treaty Division")
    assert read_document(rejected).blocks == read_document(source).blocks


def test_each_change_carries_a_comment_by_the_reviewer(tmp_path):
    source = build_docx(tmp_path / "d.docx", paragraph("The Party may report."))
    write_copy(source, tmp_path / "r.docx", US,
               restorations=[Restoration("document", 1, 1, 0, None, "The Party shall report.", "Restored: 'may'.")])
    [comment] = read_document(tmp_path / "r.docx").comments
    assert (comment.author, comment.date, comment.text) == ("Treaty Division", "2026-12-01T09:00:00Z",
                                                          "Restored: 'may'.")


def test_a_paragraph_of_added_text_is_deleted_with_its_mark(tmp_path):
    source = build_docx(tmp_path / "d.docx", paragraph("Agreed.") + paragraph("Added: may transfer.")
                        + paragraph("Closing."))
    write_copy(source, tmp_path / "r.docx", US, restorations=[Restoration("document", 2, 2, 0, None, "", "why")])
    assert [b.accepted for b in read_document(tmp_path / "r.docx").blocks] == ["Agreed.", "Closing."]
    rejected = reject_changes_of(tmp_path / "r.docx", tmp_path / "x.docx", "Treaty Division")
    assert read_document(rejected).blocks == read_document(source).blocks


def test_a_change_in_a_header_is_commented_from_the_body(tmp_path):
    source = build_docx(tmp_path / "d.docx", paragraph("Body."), header(paragraph("The Party may report.")))
    write_copy(source, tmp_path / "r.docx", US,
               restorations=[Restoration("header1", 1, 1, 0, None, "The Party shall report.", "Restored.")])
    document = read_document(tmp_path / "r.docx")
    assert [b.accepted for b in document.blocks if b.part == "header1"] == ["The Party shall report."]
    assert [c.text for c in document.comments] == ["[header1, paragraph 1] Restored."]
    assert b"commentRangeStart" not in read_members(tmp_path / "r.docx")["word/header1.xml"]
