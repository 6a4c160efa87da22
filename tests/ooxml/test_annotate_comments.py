"""Word comments written on a copy of a received draft, where the checker points."""

from __future__ import annotations

import shutil
import zipfile
from datetime import datetime, timezone

import docx
import pytest

from docx_builders import build_docx, comments, header, libreoffice_convert, paragraph, read_members
from osa_agreements.errors import DocumentError, OutputError
from osa_agreements.ooxml.annotate import Note, Reviewer, annotate
from osa_agreements.ooxml.reader import read_document

DELETED_MARK = "<w:pPr><w:rPr><w:del w:id='9' w:author='R'/></w:rPr></w:pPr>"
BODY = (
    paragraph("Exchange of Notes")
    + f"<w:p>{DELETED_MARK}<w:r><w:t xml:space='preserve'>Article 1 </w:t></w:r></w:p>"
    + paragraph("continues here.")
    + f"<w:tbl><w:tr><w:tc>{paragraph('In a cell')}</w:tc></w:tr></w:tbl>"
    + paragraph("Article 2")
)


@pytest.fixture
def draft(tmp_path):
    return build_docx(tmp_path / "draft.docx", BODY, header(paragraph("Header text")))


def commented_text(path):
    """Return (comment text, text of the paragraphs its range covers) for each comment, read back by lxml."""
    document = read_document(path)
    with zipfile.ZipFile(path) as archive:
        from lxml import etree

        root = etree.fromstring(archive.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    covered = {}
    for start in root.iter(f"{w}commentRangeStart"):
        end = next(e for e in root.iter(f"{w}commentRangeEnd") if e.get(f"{w}id") == start.get(f"{w}id"))
        first, last = start.getparent(), end.getparent()
        paragraphs = list(root.iter(f"{w}p"))
        span = paragraphs[paragraphs.index(first) : paragraphs.index(last) + 1]
        covered[start.get(f"{w}id")] = "|".join("".join(p.itertext()) for p in span)
    return [(comment.text, covered.get(comment.id)) for comment in document.comments]


def test_each_note_becomes_a_comment_around_its_paragraphs(draft, tmp_path):
    out = tmp_path / "annotated.docx"
    annotate(draft, out, [Note("document", 2, 2, "Article 1 differs from the library."), Note("document", 3, 4, "Two")])
    assert commented_text(out) == [
        ("Article 1 differs from the library.", "Article 1 |continues here."),
        ("Two", "In a cell|Article 2"),
    ]


def test_comments_carry_author_and_date(draft, tmp_path):
    out = tmp_path / "annotated.docx"
    before = datetime.now(timezone.utc).replace(microsecond=0)
    annotate(draft, out, [Note("document", 1, 1, "x"), Note("document", 1, None, "y", author="Checker Two")],
             reviewer=Reviewer.now("Treaty Division", "TD"))
    found = read_document(out).comments
    assert [comment.author for comment in found] == ["Treaty Division", "Checker Two"]
    written = [datetime.fromisoformat(comment.date.replace("Z", "+00:00")) for comment in found]
    assert all(before <= date <= datetime.now(timezone.utc) for date in written)
    with zipfile.ZipFile(out) as archive:
        assert b'w:initials="TD"' in archive.read("word/comments.xml")


def test_note_without_place_goes_on_the_first_paragraph(draft, tmp_path):
    out = tmp_path / "annotated.docx"
    annotate(draft, out, [Note(None, None, None, "Clause 'Purpose' is missing.")])
    assert commented_text(out) == [("Clause 'Purpose' is missing.", "Exchange of Notes")]


def test_note_on_a_header_is_anchored_in_the_body_and_says_where(draft, tmp_path):
    out = tmp_path / "annotated.docx"
    annotate(draft, out, [Note("header1", 1, 1, "Header changed.")])
    assert commented_text(out) == [("[header1, paragraph 1] Header changed.", "Exchange of Notes")]


def test_annotated_copy_reads_the_same_text(draft, tmp_path):
    out = tmp_path / "annotated.docx"
    annotate(draft, out, [Note("document", 2, 4, "whole range")])
    assert [b.accepted for b in read_document(out).blocks] == [b.accepted for b in read_document(draft).blocks]


def test_comments_part_is_created_with_relationship_and_content_type(draft, tmp_path):
    out = tmp_path / "annotated.docx"
    annotate(draft, out, [Note("document", 1, 1, "note")])
    members = read_members(out)
    assert "word/comments.xml" not in read_members(draft)
    assert b"word/comments.xml" in members["[Content_Types].xml"]
    assert b'Target="comments.xml"' in members["word/_rels/document.xml.rels"]


def test_other_members_are_copied_byte_for_byte(draft, tmp_path):
    out = tmp_path / "annotated.docx"
    annotate(draft, out, [Note("document", 1, 1, "note")])
    before, after = read_members(draft), read_members(out)
    changed = {"word/document.xml", "word/comments.xml", "word/_rels/document.xml.rels", "[Content_Types].xml"}
    assert {name: data for name, data in before.items() if name not in changed} == {
        name: data for name, data in after.items() if name in before and name not in changed
    }
    assert list(after)[: len(before)] == list(before)


def test_source_file_is_never_modified(draft, tmp_path):
    original = draft.read_bytes()
    annotate(draft, tmp_path / "annotated.docx", [Note("document", 1, 1, "note")])
    assert draft.read_bytes() == original


def test_existing_comments_are_kept_and_new_ids_are_above_them(tmp_path):
    body = "<w:p><w:commentRangeStart w:id='7'/><w:r><w:t>Text</w:t></w:r><w:commentRangeEnd w:id='7'/></w:p>"
    source = build_docx(tmp_path / "draft.docx", body, comments(f"<w:comment w:id='7' w:author='Legal'>{paragraph('Old')}</w:comment>"))
    out = tmp_path / "annotated.docx"
    annotate(source, out, [Note("document", 1, 1, "New")])
    found = read_document(out).comments
    assert [(c.id, c.author, c.text) for c in found] == [("7", "Legal", "Old"), ("8", "Reviewer", "New")]


def test_comments_are_visible_to_python_docx(draft, tmp_path):
    out = tmp_path / "annotated.docx"
    annotate(draft, out, [Note("document", 2, 2, "First line\nSecond line")])
    [comment] = list(docx.Document(str(out)).comments)
    assert (comment.author, comment.text) == ("Reviewer", "First line\nSecond line")


def test_text_that_xml_cannot_carry_is_dropped_not_fatal(draft, tmp_path):
    out = tmp_path / "annotated.docx"
    annotate(draft, out, [Note("document", 1, 1, "bad\x00char\x1b & <tag>")])
    assert [c.text for c in read_document(out).comments] == ["badchar & <tag>"]


def test_paragraph_the_document_lacks_is_a_document_error(draft, tmp_path):
    with pytest.raises(DocumentError, match="has no paragraphs 9-9 in document"):
        annotate(draft, tmp_path / "annotated.docx", [Note("document", 9, 9, "stale")])
    with pytest.raises(DocumentError, match="has no part footer7"):
        annotate(draft, tmp_path / "annotated.docx", [Note("footer7", 1, 1, "stale")])


def test_existing_destination_needs_force(draft, tmp_path):
    out = tmp_path / "annotated.docx"
    out.write_bytes(b"old")
    with pytest.raises(OutputError, match="already exists"):
        annotate(draft, out, [Note("document", 1, 1, "x")])
    annotate(draft, out, [Note("document", 1, 1, "x")], force=True)
    assert len(read_document(out).comments) == 1


def test_annotating_onto_the_source_is_refused(draft):
    with pytest.raises(OutputError, match="is the document being annotated"):
        annotate(draft, draft, [Note("document", 1, 1, "x")], force=True)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_annotated_copy_opens_in_libreoffice_with_its_comments(draft, tmp_path):
    out = tmp_path / "annotated.docx"
    annotate(draft, out, [Note("document", 2, 3, "Check Article 1."), Note(None, None, None, "Missing clause.")])
    converted = libreoffice_convert(out, tmp_path / "lo", "docx")
    libreoffice_convert(out, tmp_path / "pdf", "pdf")
    assert sorted(comment.text for comment in read_document(converted).comments) == [
        "Check Article 1.",
        "Missing clause.",
    ]
