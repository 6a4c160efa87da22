"""List labels computed as Word displays them."""

from __future__ import annotations

import pytest

from docx_builders import build_docx, numbering, styles
from osa_agreements.ooxml.numbering import format_number
from osa_agreements.ooxml.reader import read_document


def level(ilvl, fmt, text, start=1, extra=""):
    return (
        f"<w:lvl w:ilvl='{ilvl}'><w:start w:val='{start}'/><w:numFmt w:val='{fmt}'/>"
        f"<w:lvlText w:val='{text}'/>{extra}</w:lvl>"
    )


ARTICLES = numbering(
    "<w:abstractNum w:abstractNumId='0'>"
    + level(0, "decimal", "%1.")
    + level(1, "lowerLetter", "(%2)")
    + level(2, "lowerRoman", "(%3)")
    + "</w:abstractNum>"
    "<w:abstractNum w:abstractNumId='1'>" + level(0, "decimal", "(%1)") + level(1, "decimal", "%1.%2") + "</w:abstractNum>"
    "<w:abstractNum w:abstractNumId='2'>" + level(0, "bullet", "\u2022") + "</w:abstractNum>"
    "<w:abstractNum w:abstractNumId='3'>" + level(0, "chicago", "%1") + "</w:abstractNum>"
    "<w:num w:numId='1'><w:abstractNumId w:val='0'/></w:num>"
    "<w:num w:numId='2'><w:abstractNumId w:val='1'/></w:num>"
    "<w:num w:numId='3'><w:abstractNumId w:val='0'/></w:num>"
    "<w:num w:numId='4'><w:abstractNumId w:val='0'/>"
    "<w:lvlOverride w:ilvl='0'><w:startOverride w:val='1'/></w:lvlOverride></w:num>"
    "<w:num w:numId='5'><w:abstractNumId w:val='2'/></w:num>"
    "<w:num w:numId='6'><w:abstractNumId w:val='3'/></w:num>"
    "<w:num w:numId='7'><w:abstractNumId w:val='99'/></w:num>"
)


def item(num_id, ilvl=0, text="x", extra_ppr=""):
    return (
        f"<w:p><w:pPr>{extra_ppr}<w:numPr><w:ilvl w:val='{ilvl}'/><w:numId w:val='{num_id}'/></w:numPr></w:pPr>"
        f"<w:r><w:t>{text}</w:t></w:r></w:p>"
    )


def labels(tmp_path, body, *parts):
    document = read_document(build_docx(tmp_path / "draft.docx", body, *parts))
    return [block.number for block in document.blocks]


def test_decimal_letter_and_roman_levels_give_article_labels(tmp_path):
    body = item(1) + item(1, 1) + item(1, 1) + item(1, 2) + item(1) + item(1, 1)
    assert labels(tmp_path, body, ARTICLES) == ["1.", "(a)", "(b)", "(i)", "2.", "(a)"]


def test_parenthesised_decimal_and_multilevel_labels(tmp_path):
    body = item(2) + item(2) + item(2, 1) + item(2, 1)
    assert labels(tmp_path, body, ARTICLES) == ["(1)", "(2)", "2.1", "2.2"]


def test_lists_sharing_a_definition_continue_unless_the_start_is_overridden(tmp_path):
    body = item(1) + item(1) + item(3) + item(4) + item(4) + item(1)
    assert labels(tmp_path, body, ARTICLES) == ["1.", "2.", "3.", "1.", "2.", "3."]


def test_unnumbered_paragraphs_in_between_do_not_break_the_count(tmp_path):
    body = item(1) + "<w:p><w:r><w:t>plain</w:t></w:r></w:p>" + item(1)
    assert labels(tmp_path, body, ARTICLES) == ["1.", None, "2."]


def test_num_id_zero_bullets_unknown_formats_and_missing_lists_have_no_label(tmp_path):
    body = item(0) + item(5) + item(6) + item(7) + item(42) + item(1, 8)
    assert labels(tmp_path, body, ARTICLES) == [None, None, None, None, None, None]


def test_empty_numbering_part_means_no_labels(tmp_path):
    assert labels(tmp_path, item(1), numbering("")) == [None]


def test_numbering_comes_from_the_paragraph_style_and_its_base(tmp_path):
    sheet = styles(
        "<w:style w:type='paragraph' w:default='1' w:styleId='Normal'/>"
        "<w:style w:type='paragraph' w:styleId='Article'><w:pPr><w:numPr><w:numId w:val='1'/></w:numPr></w:pPr></w:style>"
        "<w:style w:type='paragraph' w:styleId='ArticleBold'><w:basedOn w:val='Article'/></w:style>"
        "<w:style w:type='paragraph' w:styleId='Para'><w:pPr><w:numPr><w:ilvl w:val='1'/><w:numId w:val='1'/></w:numPr></w:pPr></w:style>"
    )

    def styled(style, numpr=""):
        return f"<w:p><w:pPr><w:pStyle w:val='{style}'/>{numpr}</w:pPr><w:r><w:t>x</w:t></w:r></w:p>"

    body = (
        styled("Article") + styled("Para") + styled("ArticleBold")
        + styled("Article", "<w:numPr><w:numId w:val='0'/></w:numPr>")
        + styled("Article", "<w:numPr><w:ilvl w:val='1'/></w:numPr>")
    )  # fmt: skip
    assert labels(tmp_path, body, ARTICLES, sheet) == ["1.", "(a)", "2.", None, "(a)"]


def test_deleted_paragraph_does_not_count_in_the_accepted_view(tmp_path):
    deleted_mark = "<w:rPr><w:del w:id='1' w:author='R'/></w:rPr>"
    deleted = item(1, extra_ppr="", text="").replace("</w:numPr>", f"</w:numPr>{deleted_mark}")
    body = item(1) + deleted + "<w:p><w:r><w:t>joined</w:t></w:r></w:p>" + item(1)
    assert labels(tmp_path, body, ARTICLES) == ["1.", None, "2."]


def test_level_restart_setting_is_honoured(tmp_path):
    never = numbering(
        "<w:abstractNum w:abstractNumId='0'>" + level(0, "decimal", "%1.")
        + level(1, "decimal", "%2)", extra="<w:lvlRestart w:val='0'/>") + "</w:abstractNum>"
        "<w:num w:numId='1'><w:abstractNumId w:val='0'/></w:num>"
    )  # fmt: skip
    body = item(1) + item(1, 1) + item(1) + item(1, 1)
    assert labels(tmp_path, body, never) == ["1.", "1)", "2.", "2)"]


def test_legal_numbering_shows_every_level_in_decimal(tmp_path):
    legal = numbering(
        "<w:abstractNum w:abstractNumId='0'>" + level(0, "upperRoman", "%1.")
        + level(1, "decimal", "%1.%2", extra="<w:isLgl/>") + "</w:abstractNum>"
        "<w:num w:numId='1'><w:abstractNumId w:val='0'/></w:num>"
    )  # fmt: skip
    assert labels(tmp_path, item(1) + item(1, 1), legal) == ["I.", "1.1"]


def test_numbering_style_link_is_followed(tmp_path):
    sheet = styles(
        "<w:style w:type='numbering' w:styleId='OsaList'><w:pPr><w:numPr><w:numId w:val='2'/></w:numPr></w:pPr></w:style>"
    )
    linked = numbering(
        "<w:abstractNum w:abstractNumId='0'><w:numStyleLink w:val='OsaList'/></w:abstractNum>"
        "<w:abstractNum w:abstractNumId='1'><w:styleLink w:val='OsaList'/>" + level(0, "upperLetter", "%1.") + "</w:abstractNum>"
        "<w:num w:numId='1'><w:abstractNumId w:val='0'/></w:num><w:num w:numId='2'><w:abstractNumId w:val='1'/></w:num>"
    )  # fmt: skip
    assert labels(tmp_path, item(1) + item(1), linked, sheet) == ["A.", "B."]


def test_japanese_article_numbering(tmp_path):
    japanese = numbering(
        "<w:abstractNum w:abstractNumId='0'>" + level(0, "japaneseCounting", "第%1条")
        + level(1, "decimalFullWidth", "%2") + "</w:abstractNum>"
        "<w:num w:numId='1'><w:abstractNumId w:val='0'/><w:lvlOverride w:ilvl='0'><w:startOverride w:val='11'/></w:lvlOverride></w:num>"
    )  # fmt: skip
    assert labels(tmp_path, item(1) + item(1, 1) + item(1), japanese) == ["第十一条", "１", "第十二条"]


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (4, "upperRoman", "IV"),
        (1994, "lowerRoman", "mcmxciv"),
        (27, "lowerLetter", "aa"),
        (28, "upperLetter", "BB"),
        (3, "decimalZero", "03"),
        (3, "decimalEnclosedCircle", "\u2462"),
        (25, "decimalEnclosedCircle", "25"),
        (20, "japaneseCounting", "二十"),
        (105, "japaneseCounting", "百五"),
        (2, "none", ""),
        (2, "ordinalText", None),
    ],
)
def test_number_formats(value, fmt, expected):
    assert format_number(value, fmt) == expected
