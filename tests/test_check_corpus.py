"""The check corpus: real drafts, edited as a counterpart would, checked clause by clause."""

from __future__ import annotations

import shutil

import pytest
import yaml

from osa_agreements.checking.batch import check_draft
from osa_agreements.drafting.notes import draft

from .conftest import REPO, soffice_convert
from .docx_edits import apply_edits

CASES = yaml.safe_load((REPO / "tests" / "corpus" / "edits.yaml").read_text(encoding="utf-8"))
EXAMPLE = REPO / "examples" / "philippines-2023-coastal-radar.yaml"


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    out = tmp_path_factory.mktemp("original")
    return draft(EXAMPLE, ("japan-note",), out_dir=out)[0].path


@pytest.fixture(scope="module")
def edited(original, tmp_path_factory):
    """Return a function making (once) the edited draft of a corpus case."""
    made = {}
    folder = tmp_path_factory.mktemp("edited")

    def make(case):
        if case["id"] not in made:
            path = apply_edits(original, folder / f"{case['id']}.docx", case["edits"])
            if case.get("libreoffice"):
                converted = folder / "libreoffice"
                converted.mkdir(exist_ok=True)
                shutil.move(path, converted / path.name)
                path = soffice_convert([converted / path.name], "docx:MS Word 2007 XML", folder)[0]
            made[case["id"]] = path
        return made[case["id"]]

    return make


@pytest.mark.parametrize("with_programme", [False, True], ids=["any-values", "programme-values"])
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_corpus_case(case, with_programme, edited, library, philippines):
    values = philippines.values() if with_programme else None
    report = check_draft(edited(case), library, values)
    assert report.verdict != "error", report.error
    results = {r.id: r for r in report.clauses}
    assert set(results) == {c.id for c in library.clauses.values() if "note" in c.documents and c.when is None}
    for clause_id, result in results.items():
        expected = case["expect"].get(clause_id, {"status": "present"})
        described = f"{clause_id}: {result.status} {[(f.kind, f.message) for f in result.findings]}"
        assert result.status == expected["status"], described
        if "material" in expected:
            assert result.material == expected["material"], described
        if "variant" in expected:
            assert result.variant == expected["variant"], described
        for kind in expected.get("findings", []):
            assert any(kind in f.kind for f in result.findings), f"{kind} not in {described}"
        if "revisions" in expected:
            assert len(result.revisions) == expected["revisions"], described
    mandatory_ok = all(results[c.id].status == "present" for c in library.mandatory())
    assert report.verdict == ("pass" if mandatory_ok else "fail")


def test_every_draft_made_by_osa_draft_checks_as_all_present(tmp_path, library):
    for example in sorted((REPO / "examples").glob("*.yaml")):
        for note in draft(example, out_dir=tmp_path):
            report = check_draft(note.path, library)
            assert [r.id for r in report.clauses if r.status != "present"] == [], note.path.name
            assert report.verdict == "pass"
