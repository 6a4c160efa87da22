"""Drafting: every example becomes Notes with every mandatory clause, filled, marked and verified."""

from __future__ import annotations

import copy
import io
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree

from osa_agreements.cli import main
from osa_agreements.drafting.notes import draft
from osa_agreements.errors import OutputError, TemplateError
from osa_agreements.ooxml.reader import read_document
from osa_agreements.programme import load_programme
from osa_agreements.drafting.typography import typographic
from osa_agreements.files import yaml_files as yamlfile
from osa_agreements.files.yaml_files import load_yaml

from .conftest import EXAMPLES, REPO, flat, soffice_convert

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BAD_PROGRAMMES = yaml.safe_load((REPO / "tests" / "data" / "bad_programmes.yaml").read_text())


@pytest.fixture(scope="module")
def drafted(tmp_path_factory):
    """Draft every example with every template once, into one folder."""
    out = tmp_path_factory.mktemp("drafts")
    notes = [note for example in EXAMPLES for note in draft(example, out_dir=out)]
    return out, notes


def clause_texts(library, programme):
    """Return {clause id: expected flat text} for the mandatory clauses of ``programme``."""
    return {
        c.id: flat(" ".join(c.variant(programme.wording.get(c.id)).render(programme.values())))
        for c in library.mandatory()
    }


def accepted_text(path: Path) -> str:
    return flat(" ".join(b.accepted for b in read_document(path).blocks))


def write_programme(tmp_path: Path, data: dict, name: str = "edited.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def example_data() -> dict:
    return copy.deepcopy(load_yaml(REPO / "examples" / "philippines-2023-coastal-radar.yaml").data)


def test_every_example_drafts_a_note_and_a_reply(drafted, catalog):
    out, notes = drafted
    assert len(notes) == len(EXAMPLES) * len(catalog)
    assert sorted(p.name for p in out.glob("*.docx")) == sorted(n.path.name for n in notes)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_each_mandatory_clause_appears_exactly_once_per_note_with_values(drafted, library, example):
    out, _ = drafted
    programme = load_programme(example)
    for note in sorted(out.glob(f"{example.stem}-*.docx")):
        text = accepted_text(note)
        for clause_id, expected in clause_texts(library, programme).items():
            assert text.count(expected) == 1, (note.name, clause_id)
        assert "{{" not in text and "{%" not in text
        assert programme.values()["recipient.government"] in text


def test_clauses_are_marked_with_id_and_version_and_library_version_recorded(drafted, library):
    out, _ = drafted
    document = read_document(out / "philippines-2023-coastal-radar-japan-note.docx")
    tags = {b.clause_tag for b in document.blocks if b.clause_tag}
    for clause in library.mandatory():
        assert f"osa-clause:{clause.id}@{clause.version}" in tags
    assert document.properties["osa-library-version"] == library.version
    assert document.properties["osa-template"] == "japan-note"


def test_chosen_alternative_wording_is_drafted_and_marked(drafted, library):
    out, _ = drafted
    document = read_document(out / "malaysia-2023-rescue-boats-japan-note.docx")
    tags = {b.clause_tag for b in document.blocks if b.clause_tag}
    assert f"osa-clause:entry-into-force@{library['entry-into-force'].version}/on-notification" in tags
    assert "receives a written notification from the Government of Malaysia" in accepted_text(
        out / "malaysia-2023-rescue-boats-japan-note.docx")


def test_amounts_and_dates_are_written_in_words_and_figures(drafted):
    out, _ = drafted
    text = accepted_text(out / "bangladesh-2023-patrol-boats-japan-note.docx")
    assert "five hundred and seventy-five million Japanese yen (¥575,000,000)" in text
    assert "Dhaka, 15 November 2023" in text
    assert "twenty-four (24) months" in text


def test_paragraphs_are_real_word_numbering(drafted, library):
    out, _ = drafted
    blocks = read_document(out / "fiji-2023-patrol-boats-japan-note.docx").blocks
    numbers = [b.number for b in blocks if b.number]
    assert numbers[:5] == ["1.", "2.", "3.", "4.", "(1)"]
    by_clause = {b.clause_tag.split(":")[1].split("@")[0]: b.number for b in blocks if b.clause_tag}
    assert [by_clause[c.id] for c in library.mandatory()] == ["6.", "7.", "8.", "9.", "10."]


def test_reply_quotes_the_note_with_its_own_numbering(drafted):
    out, _ = drafted
    blocks = read_document(out / "fiji-2023-patrol-boats-reply-note.docx").blocks
    text = flat(" ".join(b.accepted for b in blocks))
    assert text.index("acknowledge the receipt") < text.index("I have the honour to refer")
    assert text.index("I have the honour to refer") < text.index("I have further the honour to confirm")
    assert [b.number for b in blocks if b.number][:2] == ["1.", "2."]


def test_annex_lists_every_item_of_equipment(drafted):
    out, _ = drafted
    programme = load_programme(REPO / "examples" / "philippines-2023-coastal-radar.yaml")
    blocks = read_document(out / "philippines-2023-coastal-radar-japan-note.docx").blocks
    cells = [b.accepted for b in blocks if b.container == "table"]
    for item in programme.data["equipment"]:
        assert item["item"] in cells and item["description"] in cells and str(item["quantity"]) in cells


HOSTILE = 'Navy & <Coast> "Guard" {{ 7*7 }} {% if x %}y{% endif %} {_{ z }_} ]]> &amp;'


def test_xml_special_characters_and_jinja_in_values_come_out_literally(tmp_path, library):
    data = example_data()
    data["recipient"]["organization"] = HOSTILE
    data["signatories"]["japan"]["title"] = HOSTILE
    data["equipment"][0]["description"] = HOSTILE
    notes = draft(write_programme(tmp_path, data), ("japan-note",), out_dir=tmp_path)
    document = read_document(notes[0].path)
    text = flat(" ".join(b.accepted for b in document.blocks))
    printed = typographic(HOSTILE)  # quotes set typographically, everything else as written
    assert printed == 'Navy & <Coast> “Guard” {{ 7*7 }} {% if x %}y{% endif %} {_{ z }_} ]]> &amp;'
    assert f"used exclusively by the {printed} for the purposes" in text
    assert printed in [b.accepted for b in document.blocks if b.container == "table"]
    assert printed in [b.accepted for b in document.blocks]
    assert "49" not in text


def _template_without(tmp_path: Path, clause_id: str, duplicate: bool = False) -> Path:
    """Return a templates folder whose japan-note lacks (or doubles) one clause control."""
    folder = tmp_path / "templates"
    shutil.copytree(REPO / "templates", folder)
    path = folder / "japan-note.docx"
    with zipfile.ZipFile(path) as source:
        members = {i.filename: source.read(i.filename) for i in source.infolist()}
    root = etree.fromstring(members["word/document.xml"])
    for sdt in root.iter(f"{W}sdt"):
        if sdt.find(f"{W}sdtPr/{W}tag").get(f"{W}val") == f"osa-clause:{clause_id}":
            (sdt.addnext(copy.deepcopy(sdt)) if duplicate else sdt.getparent().remove(sdt))
            break
    members["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    return folder


@pytest.mark.parametrize("clause_id", ["no-third-party-transfer", "un-charter-conformity"])
def test_template_lacking_a_mandatory_clause_is_refused_and_nothing_written(tmp_path, clause_id):
    templates = _template_without(tmp_path, clause_id)
    out = tmp_path / "out"
    out.mkdir()
    example = REPO / "examples" / "fiji-2023-patrol-boats.yaml"
    with pytest.raises(TemplateError, match=f"lacks the mandatory clause {clause_id}"):
        draft(example, out_dir=out, templates_dir=templates)
    assert list(out.iterdir()) == []


def test_template_with_a_mandatory_clause_twice_is_refused(tmp_path):
    templates = _template_without(tmp_path, "no-extra-purpose-use", duplicate=True)
    with pytest.raises(TemplateError, match="no-extra-purpose-use 2 times"):
        draft(REPO / "examples" / "fiji-2023-patrol-boats.yaml", out_dir=tmp_path, templates_dir=templates)


def _set(data: dict, dotted: str, value, delete: bool) -> None:
    *parents, last = [int(p) if p.isdigit() else p for p in dotted.split(".")]
    for key in parents:
        data = data.setdefault(key, {}) if isinstance(data, dict) else data[key]
    if delete:
        del data[last]
    else:
        data[last] = value


@pytest.mark.parametrize("case", BAD_PROGRAMMES, ids=[c["id"] for c in BAD_PROGRAMMES])
def test_bad_programme_gives_one_clear_line_per_problem_and_exit_2(tmp_path, capsys, monkeypatch, case):
    data = example_data()
    _set(data, case["set"]["path"], case["set"].get("value"), case["set"].get("delete", False))
    path = write_programme(tmp_path, data, "x.yaml")
    monkeypatch.chdir(tmp_path)
    status = main(["draft", "x.yaml"])
    err = capsys.readouterr().err
    assert status == 2
    assert f"x.yaml: {case['line']}" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


@pytest.mark.parametrize("content,expected", [
    ("", "a programme file is a YAML mapping"),
    ("programme: [unclosed", "not valid YAML"),
    ("a: &x [1]\nb: *x\n", "anchors and aliases are not allowed"),
    ("!!python/object/apply:os.system ['true']\n", "not valid YAML"),
    ("a: " + "[" * 1500 + "]" * 1500 + "\n", "nested deeper than 32 levels"),
    ("a: " + "[" * 200_000 + "]" * 200_000 + "\n", "nested deeper than 32 levels"),
    ("".join(" " * i + f"k{i}:\n" for i in range(40)) + " " * 40 + "v\n", "nested deeper than 32 levels"),
], ids=["empty", "unclosed", "alias", "python-object", "deep-flow", "very-deep-flow", "deep-block"])
@pytest.mark.parametrize("loader", yamlfile.LOADERS, ids=lambda loader: loader.__name__.strip("_"))
def test_unreadable_programme_files_get_a_clear_error(tmp_path, capsys, monkeypatch, content, expected, loader):
    """The same one-line error whether PyYAML parses in C (libyaml) or in Python."""
    monkeypatch.setattr(yamlfile, "LOADERS", (loader,))
    path = tmp_path / "p.yaml"
    path.write_text(content)
    assert main(["draft", str(path), "-d", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}: " in err and expected in err and "Traceback" not in err


def test_missing_programme_file_is_named(tmp_path, capsys):
    assert main(["draft", str(tmp_path / "nope.yaml")]) == 2
    assert f"{tmp_path / 'nope.yaml'}: no such file" in capsys.readouterr().err


def test_existing_output_is_kept_without_force_and_replaced_with_it(tmp_path, capsys):
    example = REPO / "examples" / "fiji-2023-patrol-boats.yaml"
    target = tmp_path / "note.docx"
    target.write_bytes(b"the drafter's own file")
    assert main(["draft", str(example), "-t", "japan-note", "-o", str(target)]) == 2
    assert "already exists; use --force" in capsys.readouterr().err
    assert target.read_bytes() == b"the drafter's own file"
    assert main(["draft", str(example), "-t", "japan-note", "-o", str(target), "--force"]) == 0
    assert zipfile.is_zipfile(target)
    assert [p.name for p in tmp_path.iterdir()] == ["note.docx"]


def test_output_option_needs_a_single_template(tmp_path):
    with pytest.raises(OutputError, match="give one programme and one --template"):
        draft(REPO / "examples" / "fiji-2023-patrol-boats.yaml", output=tmp_path / "x.docx")
    assert list(tmp_path.iterdir()) == []


def test_output_into_missing_folders_creates_them(tmp_path):
    target = tmp_path / "no" / "such" / "x.docx"
    draft(REPO / "examples" / "fiji-2023-patrol-boats.yaml", ("japan-note",), target)
    assert zipfile.is_zipfile(target)


def test_libreoffice_converts_every_draft_with_the_clause_text_intact(drafted, library, tmp_path):
    out, notes = drafted
    files = [n.path for n in notes]
    pdfs = soffice_convert(files, "pdf", tmp_path)
    assert all(p.read_bytes().startswith(b"%PDF") and p.stat().st_size > 5000 for p in pdfs)
    texts = soffice_convert(files, "txt:Text", tmp_path)
    for note, text_file in zip(notes, texts):
        programme = load_programme(REPO / "examples" / f"{note.programme}.yaml")
        text = flat(text_file.read_text(encoding="utf-8-sig"))
        for clause_id, expected in clause_texts(library, programme).items():
            assert expected in text, (note.path.name, clause_id)
