"""The whole agreement: added text, overrides wherever they stand, comments, the Note's own figures, the verdict."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from osa_agreements.checking.consistency import number_from_words
from osa_agreements.checking.overrides import cited_numbers
from osa_agreements.checking.batch import check_draft
from osa_agreements.cli import main
from osa_agreements.drafting.notes import draft
from osa_agreements.ooxml.reader import read_document
from osa_agreements.files.json_schemas import load_schema

from .conftest import REPO
from .docx_edits import AUTHOR, apply_edits
from .ooxml.docx_builders import _add_part, endnotes, footnotes, paragraph, read_members, zip_members

CASES = yaml.safe_load((REPO / "tests" / "corpus" / "agreement.yaml").read_text(encoding="utf-8"))
EXAMPLE = REPO / "examples" / "philippines-2023-coastal-radar.yaml"
RETURNED = REPO / "examples" / "received" / "philippines-2023-japan-note-returned.docx"
PART_EDITS = {"footnote": ("footnotes", footnotes, "footnote"), "endnote": ("endnotes", endnotes, "endnote")}


@pytest.fixture(scope="module")
def note(tmp_path_factory):
    return draft(EXAMPLE, ("japan-note",), out_dir=tmp_path_factory.mktemp("note"))[0].path


@pytest.fixture
def edit(note, tmp_path):
    """Return a function writing the Note with ``edits`` applied (a footnote or endnote edit adds that part)."""
    def make(*edits: dict, name: str = "edited.docx"):
        path = apply_edits(note, tmp_path / name, [e for e in edits if e["edit"] not in PART_EDITS])
        for extra in (e for e in edits if e["edit"] in PART_EDITS):
            _, part, tag = PART_EDITS[extra["edit"]]
            members = read_members(path)
            _add_part(members, part(f'<w:{tag} w:id="1">{paragraph(extra["text"])}</w:{tag}>'))
            path.write_bytes(zip_members(members))
        return path
    return make


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_text_outside_the_clauses_is_judged_with_the_agreement(case, edit, library):
    report = check_draft(edit(*case["edits"]), library)
    results = {r.id: r for r in report.clauses}
    for clause in library.mandatory():
        result, expected = results[clause.id], case["clauses"].get(clause.id)
        described = f"{clause.id}: {result.status} {[(f.kind, f.message) for f in result.findings]}"
        if expected is None:
            assert result.status == "present", described
            continue
        assert result.status == "modified" and result.material, described
        for kind in expected:
            assert any(f.kind == kind and f.material for f in result.findings), f"{kind} not in {described}"
    assert len(report.added) == case["added"], report.added
    assert {o.clause for o in report.overrides} == set(case["clauses"])
    assert report.verdict == "fail"


def test_an_added_paragraph_is_reported_with_its_place_number_excerpt_and_author(edit, library):
    text = "The Agent shall keep the two Governments informed of the delivery schedule."
    report = check_draft(edit({"edit": "add_paragraph", "after": "consultation", "text": text, "tracked": True}),
                         library)
    [added] = report.added
    assert (added.location.part, added.location.number, added.location.container) == ("document", "12.", "body")
    assert added.location.excerpt == text
    assert added.authors == (AUTHOR,)
    assert report.headline == "FAIL: 1 added paragraph"
    assert all(r.status == "present" for r in report.clauses)


def test_the_overriding_sentence_is_quoted_with_where_it_stands(edit, library):
    sentence = "Notwithstanding paragraph 9, the Products may be sold to the Philippine Coast Guard."
    report = check_draft(edit({"edit": "add_paragraph", "after": "un-charter-conformity", "text": sentence}), library)
    transfer = next(r for r in report.clauses if r.id == "no-third-party-transfer")
    overridden = next(f for f in transfer.findings if f.kind == "overridden")
    assert "document ¶21 (11.)" in overridden.message and "'notwithstanding' points at paragraph 9" in overridden.message
    [pointer] = [o for o in report.overrides if o.kind == "pointer"]
    assert pointer.sentence == sentence and pointer.location.number == "11."
    assert report.added[0].overrides == ("no-third-party-transfer",)


def test_a_clause_only_in_the_page_header_is_not_present(edit, library):
    report = check_draft(edit({"edit": "into_header", "clause": "information-disclosure"}), library)
    disclosure = next(r for r in report.clauses if r.id == "information-disclosure")
    assert disclosure.status == "missing" and disclosure.material
    assert any("stands only in the page header" in f.message for f in disclosure.findings)
    assert report.added == ()  # the header is page furniture, not added agreement text


def test_comments_are_listed_with_author_date_text_and_anchor_never_as_agreement_text(edit, library):
    text = "Our Ministry of Defence asks for more flexibility on transfers."
    report = check_draft(edit({"edit": "comment", "clause": "no-third-party-transfer", "text": text}), library)
    [comment] = report.comments
    assert (comment.author, comment.text) == (AUTHOR, text) and comment.date
    assert (comment.part, comment.paragraph, comment.number, comment.clause) == (
        "document", 19, "9.", "no-third-party-transfer")
    assert report.added == () and report.verdict == "pass"
    assert report.headline == "PASS: 1 comment"


@pytest.mark.parametrize("edits,clause,words", [
    ([{"edit": "replace", "clause": "grant-purpose-amount", "old": "(¥600,000,000)", "new": "(¥6,000,000,000)"}],
     "grant-purpose-amount", "'six hundred million Japanese yen' in words but (¥6,000,000,000) in figures"),
    ([{"edit": "replace", "clause": "period-of-availability", "old": "twenty-four (24)", "new": "thirty-six (24)"}],
     "period-of-availability", "'thirty-six' in words but (24) in figures"),
    ([{"edit": "replace", "clause": "un-charter-conformity", "old": "Government of the Republic of the Philippines",
       "new": "Government of the Philippines"}],
     "un-charter-conformity", "'the Government of the Philippines' here"),
], ids=["amount-figures-ten-times-the-words", "period-words-and-figures", "recipient-named-otherwise"])
def test_the_note_disagreeing_with_itself_is_material_on_the_clause_holding_it(edits, clause, words, edit, library):
    report = check_draft(edit(*edits), library)
    result = next(r for r in report.clauses if r.id == clause)
    assert result.status == "modified" and result.material
    assert any(f.kind == "inconsistent" and words in f.message and f.material for f in result.findings), result
    assert report.verdict == "fail"


@pytest.mark.parametrize("line,programme,message", [
    ("Manila, 31 November 2023", False, "which is not a date"),
    ("Manila, 4 November 2023", True, "the programme's signing date is '3 November 2023'"),
], ids=["not-a-date", "not-the-programme-date"])
def test_a_signing_date_that_disagrees_is_a_material_finding_on_the_agreement(line, programme, message, edit,
                                                                                library, philippines):
    path = edit({"edit": "date_line", "text": line})
    report = check_draft(path, library, philippines.values() if programme else None)
    assert any(f.kind == "inconsistent" and message in f.message and f.material for f in report.findings)
    assert report.verdict == "fail" and report.headline.startswith("FAIL: 1 material change")


@pytest.mark.parametrize("tag,expected", [
    ("osa-clause:export-controls@1.0.0", "clause 'export-controls', which clause library {library} does not have"),
    ("osa-clause:consultation@9.0.0", "consultation 9.0.0, newer than the {clause} of clause library {library}"),
    ("osa-clause:consultation@1.0.0/by-joint-committee", "in the wording 'by-joint-committee'"),
], ids=["unknown-id", "newer-version", "unknown-wording"])
def test_a_clause_tag_the_library_does_not_know_is_reported(tag, expected, edit, library):
    report = check_draft(edit({"edit": "retag", "clause": "consultation", "tag": tag}), library)
    expected = expected.format(library=library.version, clause=library["consultation"].version)
    assert any(f.kind == "unknown-clause-tag" and expected in f.message for f in report.findings), report.findings


def test_an_unedited_note_passes_with_nothing_to_read(note, library):
    report = check_draft(note, library)
    assert (report.verdict, report.headline) == ("pass", "PASS")
    assert (report.added, report.overrides, report.comments, report.findings) == ((), (), (), ())


def test_paragraph_numbers_are_read_as_a_lawyer_writes_them():
    def cited(text):
        return cited_numbers(tuple(t.lower() for t in text.replace("(", " ( ").replace(")", " ) ").replace(
            ",", " ,").replace("-", " - ").split()))
    assert cited("paragraphs 8 and 9") == ["8", "9"]
    assert cited("paragraphs 6 to 8") == ["6", "7", "8"]
    assert cited("paragraphs 6, 8 and 10") == ["6", "8", "10"]
    assert cited("sub-paragraph (2) of paragraph 5") == ["5(2)"]
    assert cited("paragraph 5(2)") == ["5(2)"]


def test_numbers_in_words_are_read():
    assert number_from_words(["six", "hundred", "million"]) == 600_000_000
    assert number_from_words(["one", "billion", "six", "hundred", "million"]) == 1_600_000_000
    assert number_from_words(["twenty-four"]) == 24
    assert number_from_words(["three", "hundred", "and", "five"]) == 305


# -- the returned example, the reports and the annotated copy ----------------------------------


def test_the_returned_example_reports_its_override_and_comments_in_json_valid_against_the_schema(capsys):
    assert main(["check", str(RETURNED), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    jsonschema.validate(report, load_schema("check-report.schema.json"))
    [document] = report["documents"]
    assert document["headline"] == "FAIL: 3 material changes, 1 other change, 1 added paragraph, 2 comments"
    [added] = document["added"]
    assert added["location"]["number"] == "11." and added["authors"] == ["Counterpart Reviewer"]
    assert added["overrides"] == ["no-extra-purpose-use", "no-third-party-transfer"]
    assert {(o["clause"], o["kind"]) for o in document["overrides"]} == {
        ("no-extra-purpose-use", "pointer"), ("no-third-party-transfer", "pointer"),
        ("no-third-party-transfer", "weaker-statement")}
    assert [c["text"] for c in document["comments"]][0] == "Our Ministry of Defence asks for more flexibility on transfers."
    assert document["comments"][1]["number"] == "11."


def test_the_text_report_lists_mandatory_clauses_then_others_then_added_text_then_comments(capsys):
    main(["check", str(RETURNED)])
    out = capsys.readouterr().out
    places = [out.index(s) for s in ("no-third-party-transfer  ", "consultation (optional)", "added text (1 paragraph",
                                     "comments (2")]
    assert places == sorted(places)
    assert " ".join(out.split()).startswith(f"{RETURNED}: FAIL: 3 material changes, 1 other change, 1 added paragraph, 2 comments")


def test_the_annotated_copy_comments_on_the_added_paragraph_and_what_it_overrides(tmp_path):
    out = tmp_path / "annotated.docx"
    assert main(["check", str(RETURNED), "--annotate", str(out), "--author", "Treaty Division"]) == 1
    ours = [c for c in read_document(out).comments if c.author == "Treaty Division"]
    [added] = [c for c in ours if c.paragraph == 21]
    assert "not part of the agreed text" in added.text and "No transfer to third parties" in added.text


def test_a_broken_overrides_file_is_a_validation_error_naming_file_and_field(tmp_path, capsys):
    import shutil

    library = tmp_path / "library"
    shutil.copytree(REPO / "clause_library", library)
    words = library / "overrides.yaml"
    words.write_text(words.read_text(encoding="utf-8").replace("  un-charter-conformity:\n", "  un-charter:\n"),
                     encoding="utf-8")
    assert main(["library", "validate", str(library)]) == 2
    err = capsys.readouterr().err
    assert f"{words}: clauses.un-charter: not a mandatory clause" in err


def test_a_sentence_added_to_a_clause_paragraph_is_added_text_at_its_own_place(edit, library):
    old = "arise from or in connection with the present arrangements."
    extra = " The Agent shall attend their meetings."
    path = edit({"edit": "replace", "clause": "consultation", "old": old, "new": old + extra})
    report = check_draft(path, library)
    [added] = report.added
    paragraph = next(b for b in read_document(path).blocks if b.accepted.endswith(extra))
    assert added.location.paragraph == paragraph.index
    assert paragraph.accepted[added.location.begin:added.location.finish] == extra.strip()
    assert next(r for r in report.clauses if r.id == "consultation").status == "present"


def test_a_clause_found_in_other_words_is_that_clause_not_added_text(edit, library):
    old = ("The Government of the Republic of the Philippines shall ensure that the Products are used exclusively by "
           "the Philippine Navy for the purposes of the Programme, and shall not use them for any other purpose "
           "without the prior consent of the Government of Japan.")
    new = ("Without the prior written agreement of the Japanese Government, the Republic of the Philippines "
           "undertakes not to employ the Products for ends other than those of the Programme, which they shall "
           "serve solely in the hands of the Philippine Navy.")
    report = check_draft(edit({"edit": "replace", "clause": "no-extra-purpose-use", "old": old, "new": new}), library)
    use = next(r for r in report.clauses if r.id == "no-extra-purpose-use")
    assert use.status == "modified" and not use.material and use.location.number == "8."
    assert report.added == () and report.headline == "FAIL: 1 other change"
