"""The obligation reader on wordings of the mandatory provisions: real published ones, rewordings, near misses.

Each wording of tests/checking/wordings.yaml replaces the paragraphs of the clauses it
``replaces`` in a Note rendered for the Philippines 2023 programme (the first takes its
place, the others are deleted); the draft is checked with the programme's values and
without any programme. Every clause listed under ``expect`` must get that status,
material flag and those finding kinds; every other clause stays present. ``modes`` limits a
case to ``programme`` or ``any-values``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from osa_agreements.checking.engine import prepare
from osa_agreements.checking.obligations import ELLIPSIS

from .drafts import base_draft, document

TABLE = yaml.safe_load((Path(__file__).parent / "wordings.yaml").read_text(encoding="utf-8"))
MODES = ("programme", "any-values")
RUNS = [(case, mode) for case in TABLE for mode in case.get("modes", MODES)]


@pytest.fixture(scope="module")
def values(philippines):
    return philippines.values()


@pytest.fixture(scope="module")
def checkers(library, values):
    return {"programme": prepare(library, values), "any-values": prepare(library, None)}


def reworded(case: dict, library, values) -> tuple:
    """Return the draft with the case's wording in place of the clauses it replaces, and the wording's text."""
    text = " ".join(case["text"].replace("{{ recipient.government }}", values["recipient.government"]).split())
    paragraphs = base_draft(library, values)
    first = next(i for i, p in enumerate(paragraphs) if p["clause"] == case["replaces"][0])
    kept = [p for p in paragraphs if p["clause"] not in case["replaces"]]
    new = {**paragraphs[first], "text": text, "clause": case["replaces"][0], "tag": None}
    before = sum(1 for p in paragraphs[:first] if p["clause"] not in case["replaces"])
    return document(kept[:before] + [new] + kept[before:]), text


@pytest.mark.parametrize(("case", "mode"), RUNS, ids=[f"{case['id']}-{mode}" for case, mode in RUNS])
def test_wording_gets_the_expected_verdict(case, mode, library, values, checkers):
    draft, text = reworded(case, library, values)
    results = {r.id: r for r in checkers[mode].check(draft)}
    for clause_id, result in results.items():
        expected = case["expect"].get(clause_id, {"status": "present"})
        kinds = {f.kind for f in result.findings}
        described = f"{clause_id}: {result.status} {[(f.kind, f.message, f.material) for f in result.findings]}"
        assert result.status == expected["status"], described
        assert result.material == expected.get("material", expected["status"] == "missing"), described
        assert set(expected.get("findings", ())) <= kinds, described
        assert not set(expected.get("absent", ())) & kinds, described
        for words in expected.get("messages", ()):
            assert any(words in f.message for f in result.findings), f"'{words}' in no message of {described}"


@pytest.mark.parametrize("case", [c for c in TABLE if any(e.get("findings") for e in c["expect"].values())],
                         ids=lambda c: c["id"])
def test_every_element_a_finding_names_quotes_the_draft(case, library, values, checkers):
    draft, text = reworded(case, library, values)
    flat = " ".join(text.split()).casefold()
    for result in checkers["programme"].check(draft):
        for finding in result.findings:
            for element in finding.elements:
                for run in (element.words or "").split(ELLIPSIS):
                    assert " ".join(run.split()).casefold() in flat, (result.id, finding.message, element)


def test_the_table_has_wordings_of_every_kind():
    provisions = {c["replaces"][0] for c in TABLE}
    kinds = {k for c in TABLE for e in c["expect"].values() for k in e.get("findings", ())}
    assert len(TABLE) >= 80
    assert len(provisions) == 5
    assert sum(1 for c in TABLE if "source" in c) >= 25
    assert {"equivalent-wording", "scope-narrowed", "consent-weakened", "condition-added", "time-limited",
            "modal-weakened", "qualifier-added", "party-changed", "essential-term-gone"} <= kinds
