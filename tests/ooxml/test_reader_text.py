"""What text a paragraph yields: the accepted view, the original, the hidden text."""

from __future__ import annotations

import pytest

from docx_builders import build_docx, paragraph, styles
from osa_agreements.ooxml.reader import read_document


def blocks(tmp_path, body, *parts):
    """Return the Blocks of the document part of a .docx whose body is ``body``."""
    document = read_document(build_docx(tmp_path / "draft.docx", body, *parts))
    return [block for block in document.blocks if block.part == "document"]


def accepted(tmp_path, body, *parts):
    return [block.accepted for block in blocks(tmp_path, body, *parts)]


def test_words_split_across_runs_join_without_spaces(tmp_path):
    body = (
        "<w:p><w:r><w:t>The Gov</w:t></w:r><w:proofErr w:type='spellStart'/><w:r><w:rPr><w:b/></w:rPr>"
        "<w:t>ern</w:t></w:r><w:r><w:t xml:space='preserve'>ment of </w:t></w:r><w:r><w:t>Japan</w:t></w:r></w:p>"
    )
    assert accepted(tmp_path, body) == ["The Government of Japan"]


def test_tracked_insertion_is_in_accepted_text_not_in_original(tmp_path):
    body = (
        "<w:p><w:r><w:t xml:space='preserve'>shall </w:t></w:r>"
        "<w:ins w:id='1' w:author='Drafter' w:date='2024-05-01T10:00:00Z'>"
        "<w:r><w:t xml:space='preserve'>promptly </w:t></w:r></w:ins><w:r><w:t>notify</w:t></w:r></w:p>"
    )
    [block] = blocks(tmp_path, body)
    assert block.accepted == "shall promptly notify"
    assert block.original == "shall notify"


def test_tracked_deletion_is_in_original_not_in_accepted(tmp_path):
    body = (
        "<w:p><w:r><w:t xml:space='preserve'>The Government </w:t></w:r>"
        "<w:del w:id='2' w:author='Reviewer' w:date='2024-05-02T09:00:00Z'>"
        "<w:r><w:delText xml:space='preserve'>shall </w:delText></w:r></w:del>"
        "<w:ins w:id='3' w:author='Reviewer'><w:r><w:t xml:space='preserve'>should </w:t></w:r></w:ins>"
        "<w:r><w:t>ensure</w:t></w:r></w:p>"
    )
    [block] = blocks(tmp_path, body)
    assert block.accepted == "The Government should ensure"
    assert block.original == "The Government shall ensure"


def test_each_revision_records_kind_author_date_text_and_offset(tmp_path):
    body = (
        "<w:p><w:r><w:t xml:space='preserve'>The Government </w:t></w:r>"
        "<w:del w:id='2' w:author='Reviewer' w:date='2024-05-02T09:00:00Z'>"
        "<w:r><w:delText xml:space='preserve'>sha</w:delText></w:r><w:r><w:delText xml:space='preserve'>ll </w:delText></w:r></w:del>"
        "<w:ins w:id='3' w:author='Drafter'><w:r><w:t xml:space='preserve'>should </w:t></w:r></w:ins>"
        "<w:r><w:t>ensure</w:t></w:r></w:p>"
    )
    [block] = blocks(tmp_path, body)
    assert [(r.kind, r.author, r.date, r.text, r.start) for r in block.revisions] == [
        ("delete", "Reviewer", "2024-05-02T09:00:00Z", "shall ", 15),
        ("insert", "Drafter", None, "should ", 15),
    ]


def test_moved_text_counts_at_its_destination_only(tmp_path):
    body = (
        "<w:p><w:moveFrom w:id='4' w:author='A'><w:r><w:t>Moved </w:t></w:r></w:moveFrom><w:r><w:t>stays</w:t></w:r>"
        "<w:moveTo w:id='5' w:author='A'><w:r><w:t xml:space='preserve'> Moved</w:t></w:r></w:moveTo></w:p>"
    )
    [block] = blocks(tmp_path, body)
    assert block.accepted == "stays Moved"
    assert block.original == "Moved stays"
    assert [r.kind for r in block.revisions] == ["delete", "insert"]


def test_text_inserted_then_deleted_shows_in_neither_view(tmp_path):
    body = (
        "<w:p><w:r><w:t>kept</w:t></w:r><w:ins w:id='1' w:author='A'><w:del w:id='2' w:author='B'>"
        "<w:r><w:delText>gone</w:delText></w:r></w:del></w:ins></w:p>"
    )
    [block] = blocks(tmp_path, body)
    assert (block.accepted, block.original, block.revisions) == ("kept", "kept", ())


def test_field_instruction_is_not_text_but_its_result_is(tmp_path):
    body = (
        "<w:p><w:r><w:t xml:space='preserve'>See Article </w:t></w:r>"
        "<w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r><w:instrText xml:space='preserve'> REF _Ref1 \\h </w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType='separate'/></w:r><w:r><w:t>6</w:t></w:r><w:r><w:fldChar w:fldCharType='end'/></w:r>"
        "<w:fldSimple w:instr=' PAGE '><w:r><w:t xml:space='preserve'> (page 2)</w:t></w:r></w:fldSimple></w:p>"
    )
    assert accepted(tmp_path, body) == ["See Article 6 (page 2)"]


def test_nested_field_result_inside_an_instruction_is_not_text(tmp_path):
    body = (
        "<w:p><w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r><w:instrText>IF </w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r><w:instrText>MERGEFIELD x</w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType='separate'/></w:r><w:r><w:t>inner</w:t></w:r><w:r><w:fldChar w:fldCharType='end'/></w:r>"
        "<w:r><w:instrText> = 1 \"yes\" \"no\"</w:instrText></w:r><w:r><w:fldChar w:fldCharType='separate'/></w:r>"
        "<w:r><w:t>yes</w:t></w:r><w:r><w:fldChar w:fldCharType='end'/></w:r></w:p>"
    )
    assert accepted(tmp_path, body) == ["yes"]


def test_hidden_run_is_kept_apart_from_agreement_text(tmp_path):
    body = (
        "<w:p><w:r><w:t xml:space='preserve'>Visible </w:t></w:r>"
        "<w:r><w:rPr><w:vanish/></w:rPr><w:t>secret</w:t></w:r>"
        "<w:r><w:rPr><w:vanish w:val='0'/></w:rPr><w:t>shown</w:t></w:r>"
        "<w:r><w:rPr><w:vanish w:val='false'/></w:rPr><w:t>!</w:t></w:r></w:p>"
    )
    [block] = blocks(tmp_path, body)
    assert (block.accepted, block.original, block.hidden) == ("Visible shown!", "Visible shown!", "secret")


def test_text_hidden_by_character_or_paragraph_style_is_hidden(tmp_path):
    sheet = styles(
        "<w:style w:type='paragraph' w:default='1' w:styleId='Normal'><w:name w:val='Normal'/></w:style>"
        "<w:style w:type='character' w:styleId='Secret'><w:rPr><w:vanish/></w:rPr></w:style>"
        "<w:style w:type='character' w:styleId='MoreSecret'><w:basedOn w:val='Secret'/></w:style>"
        "<w:style w:type='paragraph' w:styleId='HiddenPara'><w:rPr><w:vanish/></w:rPr></w:style>"
    )
    body = (
        "<w:p><w:r><w:t>a</w:t></w:r><w:r><w:rPr><w:rStyle w:val='MoreSecret'/></w:rPr><w:t>b</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:pStyle w:val='HiddenPara'/></w:pPr><w:r><w:t>c</w:t></w:r>"
        "<w:r><w:rPr><w:vanish w:val='0'/></w:rPr><w:t>d</w:t></w:r></w:p>"
    )
    assert [(b.accepted, b.hidden) for b in blocks(tmp_path, body, sheet)] == [("a", "b"), ("d", "c")]


@pytest.mark.parametrize(
    ("run_content", "expected"),
    [
        ("<w:t>a</w:t><w:tab/><w:t>b</w:t>", "a\tb"),
        ("<w:t>a</w:t><w:br/><w:t>b</w:t><w:cr/>", "a\nb\n"),
        ("<w:t>co</w:t><w:noBreakHyphen/><w:t>operate</w:t>", "co-operate"),
        ("<w:t>co</w:t><w:softHyphen/><w:t>operate</w:t>", "cooperate"),
        ("<w:t>5 </w:t><w:sym w:font='Symbol' w:char='00B0'/>", "5 \u00b0"),
        ("<w:t>x</w:t><w:sym w:font='Wingdings' w:char='F0E0'/>", "x"),
        ("<w:t>x</w:t><w:sym w:font='Symbol' w:char='zz'/>", "x"),
        ("<w:t>x</w:t><w:lastRenderedPageBreak/><w:unknownThing/><w:t>y</w:t>", "xy"),
    ],
    ids=["tab", "break", "no-break-hyphen", "soft-hyphen", "symbol", "symbol-font-glyph", "bad-symbol", "unknown"],
)
def test_special_run_content_becomes_characters(tmp_path, run_content, expected):
    body = f"<w:p><w:r>{run_content}</w:r></w:p>".replace("<w:t>5 </w:t>", "<w:t xml:space='preserve'>5 </w:t>")
    assert accepted(tmp_path, body) == [expected]


def test_bookmarks_hyperlinks_smart_tags_and_custom_xml_do_not_change_text(tmp_path):
    body = (
        "<w:p><w:bookmarkStart w:id='0' w:name='art6'/><w:permStart w:id='1'/>"
        "<w:hyperlink r:id='rId99'><w:r><w:t>Art</w:t></w:r></w:hyperlink>"
        "<w:smartTag w:uri='u' w:element='e'><w:r><w:t>icle</w:t></w:r></w:smartTag>"
        "<w:customXml w:element='x'><w:r><w:t xml:space='preserve'> 6</w:t></w:r></w:customXml>"
        "<w:bookmarkEnd w:id='0'/><w:permEnd w:id='1'/></w:p>"
    )
    assert accepted(tmp_path, body) == ["Article 6"]


def test_content_controls_at_every_level_are_read_through(tmp_path):
    body = (
        "<w:sdt><w:sdtPr><w:tag w:val='block'/></w:sdtPr><w:sdtContent>"
        "<w:p><w:r><w:t xml:space='preserve'>Block </w:t></w:r>"
        "<w:sdt><w:sdtPr><w:alias w:val='run'/></w:sdtPr><w:sdtContent><w:r><w:t>run</w:t></w:r></w:sdtContent></w:sdt>"
        "</w:p></w:sdtContent></w:sdt>"
        "<w:tbl><w:sdt><w:sdtContent><w:tr><w:sdt><w:sdtContent><w:tc>"
        f"{paragraph('cell')}</w:tc></w:sdtContent></w:sdt></w:tr></w:sdtContent></w:sdt></w:tbl>"
    )
    assert accepted(tmp_path, body) == ["Block run", "cell"]


def test_ruby_guide_text_is_not_read_only_its_base(tmp_path):
    body = (
        "<w:p><w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>にほん</w:t></w:r></w:rt>"
        "<w:rubyBase><w:r><w:t>日本</w:t></w:r></w:rubyBase></w:ruby></w:r></w:p>"
    )
    assert accepted(tmp_path, body) == ["日本"]


def test_paragraph_mark_properties_do_not_add_text(tmp_path):
    body = (
        "<w:p><w:pPr><w:tabs><w:tab w:val='left' w:pos='720'/></w:tabs>"
        "<w:rPr><w:ins w:id='1' w:author='A'/></w:rPr></w:pPr><w:r><w:t>x</w:t></w:r></w:p>"
    )
    assert accepted(tmp_path, body) == ["x"]
