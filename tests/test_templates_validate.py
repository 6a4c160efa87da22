"""osa templates validate | preview: every way a template can break is caught before a drafter uses it.

Broken templates are made from the real ones, edited with lxml the way Word
would store the maintainer's change.
"""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from osa_agreements.drafting.templates import find_template, load_catalog
from osa_agreements.cli import main
from osa_agreements.library.clauses import load_library
from osa_agreements.library.upkeep import new_clause
from osa_agreements.ooxml.reader import read_document
from osa_agreements.programme import load_programme
from osa_agreements.drafting.template_checks import context_paths as template_paths
from osa_agreements.drafting.template_checks import programme_variables, render_with_examples

from .conftest import EXAMPLES, REPO
from .template_edits import (
    add_clause_control,
    add_list,
    copy_abstract_list,
    edit_part,
    insert_paragraphs_after,
    numbered,
    paragraph_with,
    plain,
    remove_clause_control,
    set_runs,
    workspace,
)

BODY_LIST = 10  # the numbering of the Note's paragraphs in templates/japan-note.docx


@pytest.fixture
def work(tmp_path):
    """Return a folder with copies of the library, the templates and one example programme."""
    return workspace(tmp_path)


def validate(capsys, work, *arguments) -> tuple[int, str, str]:
    status = main(["templates", "--templates", str(work / "templates"), "validate", *map(str, arguments)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def retype(work, old: str, new: str, template: str = "japan-note.docx") -> None:
    """Replace the paragraph holding ``old`` by one run of text ``new``."""
    edit_part(work / "templates" / template, lambda root: set_runs(paragraph_with(root, old), new, bold_from=9))


def assert_problem(err: str, expected: str) -> None:
    assert any(expected in line for line in err.splitlines()), err
    assert "Traceback" not in err


def test_shipped_templates_validate_and_render_with_every_example(capsys):
    status = main(["templates", "validate"])
    captured = capsys.readouterr()
    assert (status, captured.err) == (0, "")
    lines = captured.out.splitlines()
    assert lines[0].startswith(f"clause library {load_library().version} (")
    assert lines[1].split() == ["TEMPLATE", "RESULT", "RENDERING"]
    assert [line.split()[1:] for line in lines[2:]] == [
        ["ok", "rendered", "with", str(len(EXAMPLES)), "example", "programme(s)"]] * 2


def test_a_tag_typed_across_runs_is_refused(work, capsys):
    def split(root):
        set_runs(paragraph_with(root, "{{ signing.place }}"), "{{ signing.", "place }}, {{ signing.date }}")
    edit_part(work / "templates" / "japan-note.docx", split)
    status, out, err = validate(capsys, work)
    assert status == 2
    assert_problem(err, f'{work / "templates" / "japan-note.docx"}: paragraph 1 "{{{{ signing.place }}}}, '
                        '{{ signing.date }}": the tag {{ signing.place }} is typed across 2 runs of differently '
                        "formatted or edited text, which docxtpl may leave unrendered; select the whole tag and "
                        "retype it")
    assert "japan-note.docx  1 problem(s)" in out and "reply-note.docx  ok" in out


def test_a_tag_in_one_run_with_other_text_in_other_runs_is_fine(work, capsys):
    def runs(root):
        set_runs(paragraph_with(root, "{{ signing.place }}"), "{{ signing.place }}", ", ", "{{ signing.date }}")
    edit_part(work / "templates" / "japan-note.docx", runs)
    assert validate(capsys, work, "japan-note")[0] == 0


def test_a_broken_tag_is_refused_rather_than_printed_in_the_note(work, capsys):
    retype(work, "{{ signing.place }}", "{ { signing.place }}, {{ signing.date }}")
    status, _, err = validate(capsys, work, "japan-note")
    assert status == 2
    assert_problem(err, "'{ {' is part of a broken tag and would be printed as text; write tags as {{ name }}")


def test_a_tag_that_did_not_render_is_caught_in_the_rendered_note(work):
    retype(work, "{{ signing.place }}", "{ { signing.place }}, {{ signing.date }}")
    template = find_template(load_catalog(work / "templates"), "japan-note")
    programme = load_programme(work / "examples" / "fiji-2023-patrol-boats.yaml")
    rendered, problems = render_with_examples(template, load_library(work / "clause_library"), [programme])
    assert rendered == ("fiji-2023-patrol-boats",)
    assert any("does not render with fiji-2023-patrol-boats: paragraph 1" in p and "still shows '{ {': a tag "
               "did not render" in p for p in problems), problems


@pytest.mark.parametrize("paragraph,text,expected", [
    ("List of Products", "List of Products: {{ programme.titel }}",
     ('"List of Products: {{ programme.titel }}": {{ programme.titel }} is not a programme value; use one of: '
      "programme.field, programme.field_text, programme.fiscal_year, programme.purpose, programme.title")),
    ("List of Products", "List of Products: {{ ambassador.name }}",
     ("{{ ambassador }} is not a programme value; use one of: equipment, facilities, grant, procurement, programme, "
      "recipient, signatories, signing")),
    ("{{ product.item }}", "{{ product.itme }}",
     ('"{{ product.itme }}": {{ product.itme }} is not a programme value; use one of: equipment[].description, '
      "equipment[].item, equipment[].quantity")),
    ("{{ signatories.japan.title }}", "{{ signatories.japan.rank }}",
     ("{{ signatories.japan.rank }} is not a programme value; use one of: signatories.japan.addressed, "
      "signatories.japan.courtesy_title, signatories.japan.honorific, signatories.japan.name, "
      "signatories.japan.title")),
], ids=["misspelt-field", "unknown-name", "loop-variable-field", "nested-field"])
def test_a_variable_the_programme_does_not_define_is_refused(work, capsys, paragraph, text, expected):
    retype(work, paragraph, text)
    status, out, err = validate(capsys, work, "japan-note")
    assert status == 2
    assert_problem(err, expected)
    assert "(see schemas/programme.schema.json)" in err
    assert "japan-note.docx  1 problem(s)  not rendered" in out


def test_derived_values_and_loop_index_are_programme_values(work, capsys):
    retype(work, "List of Products", "{{ programme.field_text }} {{ grant.amount_text }} {{ grant.period_text }} "
                                     "{{ equipment[0].item }} {{ signatories['japan'].title }}")
    assert validate(capsys, work, "japan-note")[0] == 0


@pytest.mark.parametrize("clause_id", ["information-disclosure", "no-third-party-transfer", "un-charter-conformity"])
def test_a_template_lacking_a_mandatory_clause_is_refused(work, capsys, clause_id):
    remove_clause_control(work / "templates" / "japan-note.docx", clause_id)
    status, _, err = validate(capsys, work, "japan-note")
    assert status == 2
    assert_problem(err, f"{work / 'templates' / 'japan-note.docx'}: lacks the mandatory clause {clause_id}; add a "
                        f"content control tagged osa-clause:{clause_id} where it belongs")
    assert len(err.splitlines()) == 1  # not rendered: the same problem is not reported once per example


def test_a_mandatory_clause_twice_is_refused(work, capsys):
    add_clause_control(work / "templates" / "reply-note.docx", "monitoring-evaluation", "monitoring-evaluation")
    status, _, err = validate(capsys, work)
    assert status == 2
    assert_problem(err, "reply-note.docx: has the mandatory clause monitoring-evaluation 2 times; keep one")


def test_a_reply_without_its_confirmation_is_refused(work, capsys):
    remove_clause_control(work / "templates" / "reply-note.docx", "reply-confirmation")
    status, _, err = validate(capsys, work)
    assert status == 2
    assert_problem(err, "reply-note.docx: lacks the clause reply-confirmation, which every reply needs; add a "
                        "content control tagged osa-clause:reply-confirmation")


def test_a_clause_control_with_an_unknown_tag_is_refused(work, capsys):
    add_clause_control(work / "templates" / "japan-note.docx", "no-thrid-party-transfer", "no-third-party-transfer")
    status, _, err = validate(capsys, work, "japan-note")
    assert status == 2
    assert_problem(err, "a content control is tagged osa-clause:no-thrid-party-transfer, which is not a clause of "
                        "the library; fix the tag or add the clause (osa library new)")


def test_a_reply_must_quote_every_clause_of_the_note(work, capsys):
    new_clause("records-of-products", "3(3)(c)", directory=work / "clause_library", today=dt.date(2026, 12, 1))
    path = work / "clause_library" / "clauses" / "records-of-products.yaml"
    path.write_text(path.read_text().replace("[Wording of the clause", "Keep records. [Wording"), encoding="utf-8")
    add_clause_control(work / "templates" / "japan-note.docx", "records-of-products", "no-third-party-transfer")
    status, out, err = validate(capsys, work)
    assert status == 2
    assert_problem(err, "reply-note.docx: does not quote the clause records-of-products of "
                        f"{work / 'templates' / 'japan-note.docx'}, though a reply quotes Japan's Note in full")
    assert "japan-note.docx  ok" in out


def test_a_clause_still_holding_the_skeleton_wording_cannot_be_used(work, capsys):
    new_clause("records-of-products", "3(3)(c)", directory=work / "clause_library")
    for name in ("japan-note.docx", "reply-note.docx"):
        add_clause_control(work / "templates" / name, "records-of-products", "no-third-party-transfer")
    status, _, err = validate(capsys, work)
    assert status == 2
    assert_problem(err, "records-of-products.yaml: text: still the wording of the skeleton, and template "
                        "japan-note uses the clause; write its wording")


def loop_after_un_charter(work, num_id: int) -> None:
    insert_paragraphs_after(work / "templates" / "japan-note.docx", "un-charter-conformity",
                            plain("{%p for product in equipment %}"),
                            numbered("{{ product.item }} shall be delivered.", num_id),
                            plain("{%p endfor %}"))


def test_numbered_paragraphs_repeated_by_a_loop_continue_the_notes_numbering(work, capsys, tmp_path):
    loop_after_un_charter(work, BODY_LIST)
    assert validate(capsys, work, "japan-note")[0] == 0
    preview = tmp_path / "preview.docx"
    assert main(["templates", "--templates", str(work / "templates"), "preview", "japan-note", "-o",
                 str(preview)]) == 0
    numbers = [b.number for b in read_document(preview).blocks if b.number and not b.number.startswith("(")]
    assert numbers == [f"{n}." for n in range(1, len(numbers) + 1)]
    assert len(numbers) == 11 + 2  # two items of equipment in the Fiji programme


def test_a_loop_whose_numbered_paragraphs_use_another_list_is_refused(work, capsys):
    copy_abstract_list(work / "templates" / "japan-note.docx", BODY_LIST, 20)
    add_list(work / "templates" / "japan-note.docx", 20, 20)
    loop_after_un_charter(work, 20)
    status, _, err = validate(capsys, work, "japan-note")
    assert status == 2
    assert_problem(err, '"{%p for product in equipment %}": the numbered paragraphs it repeats belong to another '
                        "list than paragraph 16 before the loop, so the Note's numbering does not continue through "
                        "the loop (it starts again at 1)")


def test_a_loop_whose_paragraphs_restart_the_numbering_is_refused(work, capsys):
    add_list(work / "templates" / "japan-note.docx", 21, BODY_LIST, restart_at=1)
    loop_after_un_charter(work, 21)
    status, _, err = validate(capsys, work, "japan-note")
    assert status == 2
    assert_problem(err, "paragraph 18, which it repeats, restarts the numbering (a start-at value is set), so the "
                        "Note's numbers start again inside the loop; in Word choose Continue Numbering for it")


def test_a_template_with_an_unclosed_block_cannot_render(work, capsys):
    edit_part(work / "templates" / "japan-note.docx",
              lambda root: (p := paragraph_with(root, "{%p endif %}")).getparent().remove(p))
    status, _, err = validate(capsys, work, "japan-note")
    assert status == 2
    assert_problem(err, "japan-note.docx: body: cannot render: Unexpected end of template. Jinja was looking for "
                        "the following tags: 'elif' or 'else' or 'endif'.")


def test_a_template_using_a_value_an_example_lacks_does_not_render_and_names_the_example(work, capsys):
    example = work / "examples" / "fiji-2023-patrol-boats.yaml"
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    del data["programme"]["fiscal_year"]
    example.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    retype(work, "List of Products", "List of Products (FY{{ programme.fiscal_year }})")
    status, _, err = validate(capsys, work, "japan-note")
    assert status == 2
    assert_problem(err, "japan-note.docx: does not render with fiji-2023-patrol-boats: template error: 'dict object' "
                        "has no attribute 'fiscal_year'")


def test_a_template_whose_expression_fails_does_not_render(work, capsys):
    retype(work, "List of Products", "List of Products {{ grant.amount_jpy // 0 }}")
    status, _, err = validate(capsys, work, "japan-note")
    assert status == 2
    assert_problem(err, "does not render with fiji-2023-patrol-boats: ZeroDivisionError: integer division or modulo "
                        "by zero; check the expressions in the template's tags")


@pytest.mark.parametrize("text,expected", [
    ("{{ recipient.organization|forceescape }}",
     "values holding & < > \" ' do not come out as written (10 of 11 uses survive); no tag may turn off escaping"),
    ("{{ 'R&D'|safe }}", "a tag uses |safe, which turns off escaping: a value holding & or < would break the Note"),
    ("{% autoescape false %}R&D{% endautoescape %}", "an {% autoescape false %} block turns off escaping"),
    ("{{r recipient.organization }}", "docxtpl's {{r ...}} and {{p ...}} tags take rich text, not programme values"),
], ids=["forceescape", "safe", "autoescape-false", "rich-text-tag"])
def test_values_with_xml_special_characters_must_come_out_as_written(work, capsys, text, expected):
    retype(work, "List of Products", text)
    status, _, err = validate(capsys, work, "japan-note")
    assert status == 2
    assert_problem(err, expected)


def test_a_file_that_is_not_a_word_document_is_refused(work, capsys):
    (work / "templates" / "japan-note.docx").write_bytes(b"not a zip")
    status, _, err = validate(capsys, work, "japan-note")
    assert status == 2
    assert_problem(err, f"{work / 'templates' / 'japan-note.docx'}: not a Word document (.docx)")


def test_a_template_file_missing_is_named(work, capsys):
    (work / "templates" / "reply-note.docx").unlink()
    status, _, err = validate(capsys, work)
    assert status == 2
    assert_problem(err, "reply-note.docx: no such file; restore the template or fix templates.yaml")


def test_an_example_choosing_a_wording_the_library_lacks_is_reported(work, capsys):
    example = work / "examples" / "fiji-2023-patrol-boats.yaml"
    example.write_text(example.read_text() + "wording:\n  entry-into-force: on-arrival\n", encoding="utf-8")
    status, _, err = validate(capsys, work)
    assert status == 2
    assert_problem(err, f"{example}: wording.entry-into-force: clause entry-into-force has no approved alternative "
                        "'on-arrival' (approved: on-notification, library-1-0-0, on-notification-1-0-0)")


def test_without_examples_validation_says_rendering_was_not_checked(work, capsys):
    for example in (work / "examples").iterdir():
        example.unlink()
    status, out, err = validate(capsys, work)
    assert status == 0
    assert err == (f"note: no example programmes found in {work / 'examples'}: rendering not tried; the templates' "
                   "variables were checked against the programme schema; give --examples DIR\n")
    assert "japan-note.docx  ok      not rendered" in out


@pytest.mark.parametrize("typed", ["{{ signing.city }}", "{{ grant.amount_txt }}", "{{ equipment[0].size }}"])
def test_without_examples_an_undefined_variable_is_still_refused(work, capsys, typed):
    """Outside the repository no examples are found; variables are still checked by their full names."""
    for example in (work / "examples").iterdir():
        example.unlink()
    retype(work, "List of Products", f"List of Products {typed}")
    status, out, err = validate(capsys, work)
    assert status == 2
    assert_problem(err, f"{typed} is not a programme value")
    assert "rendering not tried" in err
    assert "japan-note.docx  1 problem(s)  not rendered" in out


def test_every_value_drafting_gives_a_template_is_known_to_validation():
    """The names templates may use (schema + DERIVED_VARIABLES) cover what Programme.context() supplies."""
    known = programme_variables([])
    for example in EXAMPLES:
        supplied = set(template_paths(load_programme(example).context()))
        assert supplied <= known, sorted(supplied - known)


def test_an_examples_folder_without_examples_is_an_error(work, capsys, tmp_path):
    status, _, err = validate(capsys, work, "--examples", tmp_path)
    assert status == 2 and f"{tmp_path}: no example programmes (*.yaml)" in err


def test_validate_checks_only_the_templates_named(work, capsys):
    remove_clause_control(work / "templates" / "japan-note.docx", "no-extra-purpose-use")
    status, out, _ = validate(capsys, work, "reply-note")
    assert status == 0 and "japan-note" not in out
    status, _, err = validate(capsys, work, "japan-nte")
    assert status == 2 and "no template called 'japan-nte'; the templates are: japan-note, reply-note" in err


def test_preview_renders_a_template_with_the_first_example(work, capsys, monkeypatch):
    monkeypatch.chdir(work)
    assert main(["templates", "--templates", "templates", "preview", "reply-note"]) == 0
    assert capsys.readouterr().out == ("reply-note-preview.docx  (reply-note with "
                                       "examples/fiji-2023-patrol-boats.yaml)\n")
    text = " ".join(b.accepted for b in read_document(work / "reply-note-preview.docx").blocks)
    assert "Government of the Republic of Fiji" in text and "{{" not in text


def test_preview_keeps_an_existing_file_without_force(work, capsys, monkeypatch):
    monkeypatch.chdir(work)
    (work / "mine.docx").write_bytes(b"my own file")
    assert main(["templates", "preview", "japan-note", "-o", "mine.docx", "--templates", "templates"]) == 2
    assert "mine.docx: already exists; use --force" in capsys.readouterr().err
    assert (work / "mine.docx").read_bytes() == b"my own file"
    assert main(["templates", "preview", "japan-note", "-o", "mine.docx", "--templates", "templates",
                 "--programme", str(REPO / "examples" / "malaysia-2023-rescue-boats.yaml"), "--force"]) == 0
    assert "Government of Malaysia" in " ".join(b.accepted for b in read_document(work / "mine.docx").blocks)


@pytest.mark.parametrize("template", ["japan-note", "reply-note"])
def test_a_template_without_the_clause_defining_the_facilities_is_refused(work, capsys, template):
    remove_clause_control(work / "templates" / f"{template}.docx", "use-of-facilities")
    status, _, err = validate(capsys, work, template)
    assert status == 2
    assert_problem(err, f"{template}.docx: lacks the clause use-of-facilities, which defines the Facilities of a "
                        "programme that lists facilities; add a content control tagged osa-clause:use-of-facilities "
                        "inside {%p if facilities %} ... {%p endif %}")


def test_a_clause_for_facilities_outside_its_condition_fails_a_programme_without_facilities(work, capsys):
    def unguard(root):
        for text in ("{%p if facilities %}", "{%p endif %}"):
            guard = paragraph_with(root, text)  # the first: the one around the clause
            guard.getparent().remove(guard)
    edit_part(work / "templates" / "japan-note.docx", unguard)
    status, _, err = validate(capsys, work, "japan-note")
    assert status == 2
    assert_problem(err, "japan-note.docx: does not render with fiji-2023-patrol-boats: holds the clause "
                        "use-of-facilities for a programme without facilities; put its content control inside "
                        "{%p if facilities %} ... {%p endif %}")


def test_templates_are_rendered_for_a_programme_with_facilities_even_when_no_example_has_any(work, capsys):
    retype(work, "{%p if facilities %}", "{%p if facilities and false %}", "reply-note.docx")
    status, _, err = validate(capsys, work, "reply-note")
    assert status == 2
    assert_problem(err, "reply-note.docx: does not render for a programme with facilities: has no clause defining "
                        "the Facilities")
