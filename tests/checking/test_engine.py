"""The checking engine: every library clause present, modified or missing, with evidence."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from osa_agreements.checking.engine import check_text
from osa_agreements.checking.lexicon import lexicon_path, load_lexicon
from osa_agreements.errors import LibraryError
from osa_agreements.ooxml.records import Block, DocumentText, Revision
from osa_agreements.programme import load_programme

from ..conftest import REPO
from .drafts import apply_edits, base_draft, document

CASES = yaml.safe_load((Path(__file__).parent / "cases.yaml").read_text(encoding="utf-8"))
MODES = ("programme", "any-values")
RUNS = [(case, mode) for case in CASES for mode in case.get("modes", MODES)]


@pytest.fixture(scope="module")
def lexicon(library):
    return load_lexicon(lexicon_path(library))


@pytest.fixture(scope="module")
def values(philippines):
    return philippines.values()


def draft_of(case: dict, library, values) -> DocumentText:
    paragraphs, comments = apply_edits(base_draft(library, values), case["edits"], library, values)
    return document(paragraphs, comments)


@pytest.mark.parametrize(("case", "mode"), RUNS, ids=[f"{case['id']}-{mode}" for case, mode in RUNS])
def test_edited_draft_gets_the_expected_verdicts(case, mode, library, values, lexicon):
    results = check_text(draft_of(case, library, values), library, values if mode == "programme" else None,
                         lexicon=lexicon)
    assert [r.id for r in results] == _library_order(library)
    for result in results:
        expected = case["expect"].get(result.id, {"status": "present"})
        _assert_verdict(result, expected)


def _assert_verdict(result, expected: dict) -> None:
    kinds = [f.kind for f in result.findings]
    described = f"{result.id}: {result.status} {[(f.kind, f.message, f.material) for f in result.findings]}"
    assert result.status == expected["status"], described
    assert result.material == expected.get("material", False), described
    assert result.material == any(f.material for f in result.findings), described
    assert set(expected.get("findings", ())) <= set(kinds), described
    assert not set(expected.get("absent", ())) & set(kinds), described
    for words in expected.get("messages", ()):
        assert any(words in f.message for f in result.findings), f"'{words}' in no message of {described}"
    assert result.variant == expected.get("variant"), described
    if "revisions" in expected:
        assert len(result.revisions) == expected["revisions"], described
    if result.status == "present":
        assert result.diff == () and result.similarity == 1.0, described
    if result.status == "modified":
        assert {d.op for d in result.diff} >= {"equal"} and 0.5 <= result.similarity <= 1, described
    if result.status == "missing":
        assert result.location is None and result.diff == (), described


def _library_order(library) -> list[str]:
    mandatory = [c.id for c in library.mandatory()]
    return mandatory + sorted(set(library.clauses) - set(mandatory))


@pytest.mark.parametrize("example", sorted((REPO / "examples").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_clause_of_an_unedited_rendering_is_present(example, library, lexicon):
    values = load_programme(example).values()
    draft = document(base_draft(library, values))
    for given in (values, None):
        results = check_text(draft, library, given, lexicon=lexicon)
        assert [(r.id, r.status, r.findings) for r in results] == [(r.id, "present", ()) for r in results]


def test_the_same_draft_gets_the_same_verdicts_twice(library, values, lexicon):
    case = next(c for c in CASES if c["id"] == "qualifier-unless-otherwise-agreed-added")
    draft = draft_of(case, library, values)
    assert check_text(draft, library, None, lexicon=lexicon) == check_text(draft, library, None, lexicon=lexicon)


def test_location_names_the_paragraphs_and_quotes_the_text(library, values, lexicon):
    case = next(c for c in CASES if c["id"] == "clause-split-in-two-paragraphs")
    draft = draft_of(case, library, values)
    result = _result(check_text(draft, library, values, lexicon=lexicon), "monitoring-evaluation")
    first = next(b for b in draft.blocks if b.clause_tag and "monitoring-evaluation" in b.clause_tag)
    assert (result.location.part, result.location.paragraph, result.location.last_paragraph) == (
        "document", first.index, first.index + 1)
    assert result.location.number == first.number
    assert result.location.excerpt == first.accepted[:100].rstrip()


def test_the_diff_shows_the_changed_words_against_the_library(library, values, lexicon):
    case = next(c for c in CASES if c["id"] == "shall-weakened-to-should")
    result = _result(check_text(draft_of(case, library, values), library, values, lexicon=lexicon),
                     "no-third-party-transfer")
    changes = [(d.op, d.text) for d in result.diff if d.op != "equal"]
    assert changes == [("delete", "shall"), ("insert", "should")]
    assert result.diff[0].text == "The Government of the Republic of the Philippines"


def test_a_wrong_programme_makes_its_values_modified(library, values, lexicon):
    draft = document(base_draft(library, values))
    other = load_programme(REPO / "examples" / "bangladesh-2023-patrol-boats.yaml").values()
    result = _result(check_text(draft, library, other, lexicon=lexicon), "un-charter-conformity")
    assert (result.status, result.material) == ("modified", True)
    government = other["recipient.government"].replace("\u2019", "'")  # findings quote with straight apostrophes
    assert any(f.kind == "placeholder-value" and government in f.message for f in result.findings)


def test_a_long_document_is_checked_clause_by_clause(library, values, lexicon):
    filler = [Block("document", i, f"Item {i}: spare parts and tools for the radar site number {i}.")
              for i in range(1, 5001)]
    clauses = document(base_draft(library, values)).blocks
    blocks = tuple(filler[:2500]) + clauses + tuple(filler[2500:])
    results = check_text(DocumentText(blocks), library, None, lexicon=lexicon)
    assert {r.status for r in results} == {"present"}


def test_an_empty_draft_has_every_clause_missing(library, lexicon):
    results = check_text(DocumentText((Block("document", 1, ""),)), library, None, lexicon=lexicon)
    assert {r.status for r in results} == {"missing"}
    assert [r.id for r in results if r.material] == [c.id for c in library.mandatory()]


def test_a_placeholder_without_a_value_matches_as_without_a_programme(library, values, lexicon):
    partial = {k: v for k, v in values.items() if k != "recipient.government"}
    results = check_text(document(base_draft(library, values)), library, partial, lexicon=lexicon)
    assert {r.status for r in results} == {"present"}


def test_a_clause_in_deleted_text_is_found_without_the_original_paragraph(library, values, lexicon):
    clause = " ".join(library["un-charter-conformity"].wording.render(values))
    blocks = tuple(b for b in document(base_draft(library, values)).blocks if "un-charter" not in (b.clause_tag or ""))
    deleted = Block("document", len(blocks) + 1, "", "", revisions=(Revision("delete", "Ken Sato", None, clause, 0),))
    result = next(r for r in check_text(DocumentText(blocks + (deleted,)), library, values, lexicon=lexicon)
                  if r.id == "un-charter-conformity")
    assert result.status == "missing"
    assert [f.message for f in result.findings if f.kind == "survives-in-deleted-revision"] == [
        "the clause survives only in a tracked deletion by Ken Sato"]


def test_a_library_without_a_lexicon_uses_the_shipped_one(library):
    assert lexicon_path(library) == REPO / "clause_library" / "lexicon.yaml"


def test_a_lexicon_of_the_wrong_shape_is_refused(tmp_path):
    broken = tmp_path / "lexicon.yaml"
    broken.write_text("modals: {strong: [shall], weak: [should]}\nweakeners: [endeavour]\nnegations: not-a-list\n"
                      "qualifiers: [unless]\n", encoding="utf-8")
    with pytest.raises(LibraryError, match="negations"):
        load_lexicon(broken)


def _result(results, clause_id):
    return next(r for r in results if r.id == clause_id)
