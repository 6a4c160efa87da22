"""Where each Block stands: parts, indices, containers, merged paragraphs, text boxes, notes."""

from __future__ import annotations

from docx_builders import build_docx, comments, custom_properties, endnotes, footer, footnotes, header, paragraph
from osa_agreements.ooxml.reader import read_document

DELETED_MARK = "<w:pPr><w:rPr><w:del w:id='9' w:author='Reviewer' w:date='2024-06-01T00:00:00Z'/></w:rPr></w:pPr>"


def read(tmp_path, body, *parts):
    return read_document(build_docx(tmp_path / "draft.docx", body, *parts))


def places(document):
    return [(block.part, block.index, block.container, block.accepted) for block in document.blocks]


def test_paragraph_with_deleted_mark_merges_with_the_next_one(tmp_path):
    body = (
        f"{paragraph('Before')}"
        f"<w:p>{DELETED_MARK}<w:r><w:t xml:space='preserve'>The Parties </w:t></w:r></w:p>"
        f"{paragraph('shall consult.')}{paragraph('After')}"
    )
    document = read(tmp_path, body)
    assert places(document) == [
        ("document", 1, "body", "Before"),
        ("document", 2, "body", "The Parties shall consult."),
        ("document", 3, "body", "After"),
    ]
    merged = document.blocks[1]
    assert merged.original == "The Parties \nshall consult."
    assert [(r.kind, r.author, r.text, r.start) for r in merged.revisions] == [("delete", "Reviewer", "\n", 12)]


def test_wholly_deleted_paragraph_leaves_accepted_view_but_stays_in_next_original(tmp_path):
    body = (
        f"{paragraph('Article 5')}"
        f"<w:p>{DELETED_MARK}<w:del w:id='10' w:author='Reviewer'><w:r><w:delText>Removed clause.</w:delText></w:r></w:del></w:p>"
        f"{paragraph('Article 6')}"
    )
    document = read(tmp_path, body)
    assert [block.accepted for block in document.blocks] == ["Article 5", "Article 6"]
    following = document.blocks[1]
    assert following.index == 2
    assert following.original == "Removed clause.\nArticle 6"
    assert [(r.kind, r.text, r.start) for r in following.revisions] == [
        ("delete", "Removed clause.", 0),
        ("delete", "\n", 0),
    ]


def test_wholly_inserted_paragraph_is_an_ordinary_block(tmp_path):
    body = (
        "<w:p><w:pPr><w:rPr><w:ins w:id='1' w:author='A'/></w:rPr></w:pPr>"
        "<w:ins w:id='2' w:author='A'><w:r><w:t>New clause.</w:t></w:r></w:ins></w:p>"
        f"{paragraph('Old clause.')}"
    )
    document = read(tmp_path, body)
    assert [(b.index, b.accepted, b.original) for b in document.blocks] == [
        (1, "New clause.", ""),
        (2, "Old clause.", "Old clause."),
    ]


def test_deleted_table_row_dissolves_into_the_next_paragraph(tmp_path):
    row = "<w:tr><w:trPr>{mark}</w:trPr><w:tc>{cell}</w:tc></w:tr>"
    deleted = "<w:del w:id='3' w:author='R'/>"
    gone = "<w:p><w:del w:id='4' w:author='R'><w:r><w:delText>gone</w:delText></w:r></w:del></w:p>"
    body = (
        f"<w:tbl>{row.format(mark='', cell=paragraph('kept'))}{row.format(mark=deleted, cell=gone)}</w:tbl>"
        f"{paragraph('after')}"
    )
    document = read(tmp_path, body)
    assert [(b.index, b.container, b.accepted) for b in document.blocks] == [(1, "table", "kept"), (2, "body", "after")]
    assert "gone" in document.blocks[1].original


def test_nested_tables_are_read_row_by_row_cell_by_cell(tmp_path):
    inner = f"<w:tbl><w:tr><w:tc>{paragraph('b1')}</w:tc><w:tc>{paragraph('b2')}</w:tc></w:tr></w:tbl>"
    body = (
        f"<w:tbl><w:tblPr/><w:tblGrid/><w:tr><w:tc>{paragraph('a1')}{inner}{paragraph('a1 end')}</w:tc>"
        f"<w:tc><w:tcPr/>{paragraph('a2')}</w:tc></w:tr><w:tr><w:tc>{paragraph('c1')}</w:tc></w:tr></w:tbl>"
        f"{paragraph('after')}"
    )
    document = read(tmp_path, body)
    assert [(b.index, b.container, b.accepted) for b in document.blocks] == [
        (1, "table", "a1"),
        (2, "table", "b1"),
        (3, "table", "b2"),
        (4, "table", "a1 end"),
        (5, "table", "a2"),
        (6, "table", "c1"),
        (7, "body", "after"),
    ]


def _textbox_drawing(text):
    return (
        "<w:drawing><wp:anchor><wp:docPr id='1' name='Text Box 1'/><a:graphic><a:graphicData>"
        f"<wps:wsp><wps:txbx><w:txbxContent>{paragraph(text)}</w:txbxContent></wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing>"
    )


def _textbox_vml(text):
    return f"<w:pict><v:shape><v:textbox><w:txbxContent>{paragraph(text)}</w:txbxContent></v:textbox></v:shape></w:pict>"


def test_textbox_in_alternate_content_is_read_once_after_its_anchor(tmp_path):
    body = (
        "<w:p><w:r><w:t xml:space='preserve'>Anchor </w:t></w:r><w:r><mc:AlternateContent>"
        f"<mc:Choice Requires='wps'>{_textbox_drawing('In the box')}</mc:Choice>"
        f"<mc:Fallback>{_textbox_vml('In the box')}</mc:Fallback>"
        "</mc:AlternateContent></w:r><w:r><w:t>text</w:t></w:r></w:p>"
        f"{paragraph('Next')}"
    )
    document = read(tmp_path, body)
    assert places(document) == [
        ("document", 1, "body", "Anchor text"),
        ("document", 2, "textbox", "In the box"),
        ("document", 3, "body", "Next"),
    ]


def test_fallback_textbox_is_read_when_the_choice_has_none(tmp_path):
    body = (
        "<w:p><w:r><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing/></mc:Choice>"
        f"<mc:Fallback>{_textbox_vml('Only in fallback')}</mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )
    assert [b.accepted for b in read(tmp_path, body).blocks] == ["", "Only in fallback"]


def test_text_outside_the_chosen_branch_is_not_read(tmp_path):
    body = (
        "<w:p><mc:AlternateContent><mc:Choice Requires='w14'><w:r><w:t>new</w:t></w:r></mc:Choice>"
        "<mc:Fallback><w:r><w:t>old</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>"
    )
    assert [b.accepted for b in read(tmp_path, body).blocks] == ["new"]


def test_headers_footers_and_notes_are_parts_named_after_their_files(tmp_path):
    note = "<w:footnote w:id='1'><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space='preserve'> A note.</w:t></w:r></w:p></w:footnote>"
    document = read(
        tmp_path,
        paragraph("Body"),
        header(paragraph("First header"), 1),
        header(paragraph("Second header"), 2),
        footer(f"<w:tbl><w:tr><w:tc>{paragraph('Footer cell')}</w:tc></w:tr></w:tbl>", 1),
        footnotes(note),
        endnotes(f"<w:endnote w:id='1'>{paragraph('An endnote.')}</w:endnote>"),
    )
    assert places(document) == [
        ("document", 1, "body", "Body"),
        ("header1", 1, "header", "First header"),
        ("header2", 1, "header", "Second header"),
        ("footer1", 1, "table", "Footer cell"),
        ("footnotes", 1, "footnote", " A note."),
        ("endnotes", 1, "endnote", "An endnote."),
    ]


def test_comments_are_records_not_agreement_text(tmp_path):
    body = "<w:p><w:commentRangeStart w:id='5'/><w:r><w:t>Text</w:t></w:r><w:commentRangeEnd w:id='5'/></w:p>"
    comment = (
        "<w:comment w:id='5' w:author='Legal' w:date='2024-01-02T03:04:05Z'>"
        f"{paragraph('Please check.')}{paragraph('Second line')}</w:comment>"
    )
    document = read(tmp_path, body, comments(comment))
    assert [b.accepted for b in document.blocks] == ["Text"]
    [found] = document.comments
    assert (found.id, found.author, found.date, found.text) == (
        "5", "Legal", "2024-01-02T03:04:05Z", "Please check.\nSecond line"
    )


def test_clause_tag_comes_from_nearest_enclosing_osa_content_control(tmp_path):
    def sdt(tag, content):
        return f"<w:sdt><w:sdtPr><w:tag w:val='{tag}'/></w:sdtPr><w:sdtContent>{content}</w:sdtContent></w:sdt>"

    body = (
        sdt("osa-clause:purpose", paragraph("Purpose") + sdt("other", paragraph("Inner")))
        + paragraph("Untagged")
        + "<w:p>" + sdt("osa-clause:inline", "<w:r><w:t>Inline</w:t></w:r>") + "</w:p>"
    )  # fmt: skip
    document = read(tmp_path, body)
    assert [(b.accepted, b.clause_tag) for b in document.blocks] == [
        ("Purpose", "osa-clause:purpose"),
        ("Inner", "osa-clause:purpose"),
        ("Untagged", None),
        ("Inline", "osa-clause:inline"),
    ]


def test_custom_and_core_properties_are_read(tmp_path):
    path = build_docx(tmp_path / "draft.docx", paragraph("x"), custom_properties({"osa-programme": "PH-2024", "Rev": "3"}))
    import docx

    document = docx.Document(str(path))
    document.core_properties.title = "Exchange of Notes"
    document.save(str(path))
    assert read_document(path).properties == {"title": "Exchange of Notes", "osa-programme": "PH-2024", "Rev": "3"}


def test_altchunk_content_is_reported_as_unread(tmp_path):
    document = read(tmp_path, paragraph("x") + "<w:altChunk r:id='rIdX'/>")
    assert any("altChunk" in warning for warning in document.warnings)
