"""What a Note says and carries, read from the drafted .docx: names, facilities, typography, properties.

The pages themselves (what LibreOffice prints) are tested in test_notes_pages.py.
"""

from __future__ import annotations

import datetime as dt
import runpy
import zipfile

import pytest
from docx import Document
from lxml import etree

from osa_agreements import __version__
from osa_agreements.drafting.notes import draft
from osa_agreements.ooxml.reader import read_document
from osa_agreements.drafting.typography import typographic

from .conftest import REPO, flat
from .test_drafting import example_data, write_programme

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"


def drafted_text(path) -> str:
    return flat(" ".join(b.accepted for b in read_document(path).blocks))


def paragraphs(path) -> list[str]:
    return [b.accepted for b in read_document(path).blocks]


@pytest.mark.parametrize("text,expected", [
    ('hereinafter referred to as "the Grant"', "hereinafter referred to as “the Grant”"),
    ("Your Excellency's Note of today's date", "Your Excellency’s Note of today’s date"),
    ("Government of the People's Republic", "Government of the People’s Republic"),
    ("Dato' Seri Utama Haji", "Dato’ Seri Utama Haji"),
    ("the term 'Products' ('the Products')", "the term ‘Products’ (‘the Products’)"),
    ('"Annex"', "“Annex”"),
    ("already “set” and ’tis", "already “set” and ’tis"),
])
def test_straight_quotes_become_typographic(text, expected):
    assert typographic(text) == expected
    assert typographic(expected) == expected


def test_an_addressee_without_a_name_reads_as_form_of_address_and_office(tmp_path):
    data = example_data()
    for side in ("japan", "recipient"):
        data["signatories"][side] = {"title": data["signatories"][side]["title"]}
    note = draft(write_programme(tmp_path, data), ("japan-note",), out_dir=tmp_path)[0]
    lines = paragraphs(note.path)
    title = data["signatories"]["recipient"]["title"]
    assert lines[lines.index(title) - 1] == "His Excellency"
    assert not any(line.startswith("His Excellency ") for line in lines)


def test_a_named_addressee_is_one_line_with_courtesy_title_and_the_signature_gives_the_name(tmp_path):
    data = example_data()
    data["signatories"]["recipient"].update(name="Enrique A. Manalo", courtesy_title="Mr")
    data["signatories"]["japan"].update(name="Koshikawa Kazuhiko", honorific="His Excellency")
    note = draft(write_programme(tmp_path, data), ("japan-note",), out_dir=tmp_path)[0]
    lines = paragraphs(note.path)
    assert "His Excellency Mr Enrique A. Manalo" in lines
    signature = lines.index("Koshikawa Kazuhiko")
    assert lines[signature + 1] == data["signatories"]["japan"]["title"]


def test_a_courtesy_title_without_a_name_is_refused(tmp_path, capsys):
    from osa_agreements.cli import main

    data = example_data()
    del data["signatories"]["recipient"]["name"]
    data["signatories"]["recipient"]["courtesy_title"] = "Mr"
    path = write_programme(tmp_path, data)
    assert main(["draft", str(path), "--out-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}: signatories.recipient: 'name' is a dependency of 'courtesy_title'" in err


def test_a_programme_with_facilities_defines_them_and_every_mandatory_clause_covers_them(tmp_path, library):
    notes = draft(REPO / "examples" / "djibouti-2024-coastal-radar.yaml", out_dir=tmp_path)
    for note in notes:
        document = read_document(note.path)
        text = flat(" ".join(b.accepted for b in document.blocks))
        assert "(hereinafter referred to as “the Facilities”)" in text
        for clause in library.mandatory():
            words = flat(" ".join(b.accepted for b in document.blocks
                                  if b.clause_tag and b.clause_tag.split(":")[1].split("@")[0] == clause.id))
            assert "the Products" not in words or "the Products and the Facilities" in words, clause.id
        cells = [b.accepted for b in document.blocks if b.container == "table"]
        assert {"Radar tower", "Power supply", "Shelter"} <= set(cells)
        assert "List of Facilities" in text


def test_a_programme_without_facilities_never_mentions_them(tmp_path):
    notes = draft(REPO / "examples" / "philippines-2023-coastal-radar.yaml", out_dir=tmp_path)
    for note in notes:
        assert "Facilities" not in drafted_text(note.path)


def test_the_recipient_state_is_named_where_the_note_spoke_of_the_recipient_country(tmp_path):
    note = draft(REPO / "examples" / "malaysia-2023-rescue-boats.yaml", ("japan-note",), out_dir=tmp_path)[0]
    text = drafted_text(note.path)
    assert "levies imposed in Malaysia with respect to" in text and "entry into Malaysia and stay" in text
    assert "recipient country" not in text


def test_programme_values_are_set_typographically(tmp_path):
    note = draft(REPO / "examples" / "bangladesh-2023-patrol-boats.yaml", ("japan-note",), out_dir=tmp_path)[0]
    text = drafted_text(note.path)
    assert "Government of the People’s Republic of Bangladesh" in text
    assert "'" not in text and '"' not in text


def core_and_app(path):
    document = Document(str(path))
    with zipfile.ZipFile(path) as package:
        app = etree.fromstring(package.read("docProps/app.xml"))
        names = package.namelist()
    return document.core_properties, app, names


def test_document_properties_say_what_the_note_is_who_made_it_and_when(tmp_path, monkeypatch):
    monkeypatch.delenv("OSA_AUTHOR", raising=False)
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    notes = draft(REPO / "examples" / "philippines-2023-coastal-radar.yaml", out_dir=tmp_path)
    after = dt.datetime.now(dt.timezone.utc)
    for note in notes:
        core, app, names = core_and_app(note.path)
        assert core.title == "Provision of Coastal Radar Systems to the Philippine Navy"
        assert core.author == core.last_modified_by == "Government of Japan"
        created = core.created.replace(tzinfo=dt.timezone.utc) if core.created.tzinfo is None else core.created
        assert before <= created <= after and core.modified == core.created
        assert core.revision == 1
        assert app.findtext(f"{EP}Application") == f"osa-agreements {__version__}"
        assert app.findtext(f"{EP}Company") == "Government of Japan"
        assert not any("thumbnail" in name for name in names)
    subjects = {note.template: core_and_app(note.path)[0].subject for note in notes}
    assert subjects == {
        "japan-note": "Exchange of Notes: Note of the Government of Japan to the Government of the Republic of "
                      "the Philippines",
        "reply-note": "Exchange of Notes: Note in reply of the Government of the Republic of the Philippines"}


def test_the_author_and_company_come_from_osa_author(tmp_path, monkeypatch):
    monkeypatch.setenv("OSA_AUTHOR", "Embassy of Japan in the Philippines")
    note = draft(REPO / "examples" / "philippines-2023-coastal-radar.yaml", ("japan-note",), out_dir=tmp_path)[0]
    core, app, _ = core_and_app(note.path)
    assert core.author == "Embassy of Japan in the Philippines"
    assert app.findtext(f"{EP}Company") == "Embassy of Japan in the Philippines"


def annex_tables(path):
    with zipfile.ZipFile(path) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    return body.iter(f"{W}tbl")


@pytest.mark.parametrize("template", ["japan-note", "reply-note"])
def test_annex_columns_fit_their_content_and_the_header_repeats(tmp_path, template):
    note = draft(REPO / "examples" / "djibouti-2024-coastal-radar.yaml", (template,), out_dir=tmp_path)[0]
    tables = list(annex_tables(note.path))
    assert len(tables) == 2  # the Products and the Facilities
    for table in tables:
        widths = [int(col.get(f"{W}w")) for col in table.iter(f"{W}gridCol")]
        number, item, quantity, description = widths
        assert number < item < description and quantity < item and description > sum(widths) / 2
        rows = table.findall(f"{W}tr")
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
        for row in rows:
            quantity_cell = row.findall(f"{W}tc")[2]
            assert quantity_cell.find(f".//{W}jc").get(f"{W}val") == "right"


def test_the_templates_are_what_tools_build_templates_makes(tmp_path):
    runpy.run_path(str(REPO / "tools" / "build_templates.py"))["build"](tmp_path)
    for name in ("japan-note.docx", "reply-note.docx"):
        with zipfile.ZipFile(REPO / "templates" / name) as shipped, zipfile.ZipFile(tmp_path / name) as built:
            assert sorted(shipped.namelist()) == sorted(built.namelist()), name
            changed = [m for m in shipped.namelist() if shipped.read(m) != built.read(m)]
            assert changed == [], f"{name}: run python tools/build_templates.py ({changed} differ)"


def test_the_readme_shows_the_first_page_of_a_note_made_by_make_docs_images():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "](docs/japan-note-page-1.png)" in readme
    assert (REPO / "docs" / "japan-note-page-1.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    target = makefile[makefile.index("\ndocs-images:"):]
    assert "docs/japan-note-page-1" in target.split("\n\n")[0]


def with_text_replaced(source, target, old: str, new: str):
    """Write ``source`` to ``target`` with ``old`` replaced by ``new`` in its body, as a counterpart's edit."""
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as edited:
        for member in package.infolist():
            data = package.read(member.filename)
            if member.filename == "word/document.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            edited.writestr(member, data)
    return target


@pytest.mark.parametrize("with_programme", [False, True], ids=["any-values", "programme-values"])
def test_the_facilities_dropped_from_a_mandatory_clause_is_a_material_change(tmp_path, library, with_programme):
    from osa_agreements.checking.batch import check_draft
    from osa_agreements.programme import load_programme

    example = REPO / "examples" / "djibouti-2024-coastal-radar.yaml"
    note = draft(example, ("japan-note",), out_dir=tmp_path)[0]
    edited = with_text_replaced(note.path, tmp_path / "edited.docx",
                                "shall use the Products and the Facilities in", "shall use the Products in")
    values = load_programme(example).values() if with_programme else None
    results = {r.id: r for r in check_draft(edited, library, values).clauses}
    assert (results["un-charter-conformity"].status, results["un-charter-conformity"].material) == ("modified", True)
    assert any("the Products and the Facilities" in f.message for f in results["un-charter-conformity"].findings)
    assert all(results[c.id].status == "present" for c in library.mandatory() if c.id != "un-charter-conformity")
    assert results["use-of-facilities"].status == "present"
