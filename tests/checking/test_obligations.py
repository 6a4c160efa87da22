"""The obligation reader: what a sentence obliges, read the same way for the library and for drafts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osa_agreements.checking.obligations import (BINDING, EFFORT, JAPAN, NEGATIVE, POSITIVE, RECIPIENT, UNSTATED,
                                                 WEAK, Definitions, definitions_of, read_sentence)
from osa_agreements.checking.provisions import provisions_reader
from osa_agreements.checking.reading import prepare_reading

RECIPIENT_NAMES = ("Government of the Republic of the Philippines", "Republic of the Philippines", "Philippines")


@pytest.fixture(scope="module")
def reader(library):
    return provisions_reader(library)


def read(text, reader, terms=None):
    definitions = Definitions(terms or {}, RECIPIENT_NAMES)
    return read_sentence(text, definitions, reader)


def test_a_passive_prohibition_binds_nobody_named_and_keeps_its_exception(reader):
    (obligation,) = read("The Products shall not be transferred to third countries unless the Government of Japan "
                         "has given its prior written consent.", reader)
    assert (obligation.actions, obligation.passive, obligation.object) == (("transfer",), True, "products")
    assert (obligation.bound.key, obligation.force.strength, obligation.force.polarity) == (UNSTATED, BINDING,
                                                                                             NEGATIVE)
    assert [(e.kind, e.giver) for e in obligation.exceptions] == [("consent", JAPAN)]


def test_coordinated_verbs_are_two_obligations_sharing_force_and_exception(reader):
    use, transfer = read("The Government of the Republic of the Philippines shall not, without the prior consent of "
                         "the Government of Japan, use the Products for other purposes or transfer them to third "
                         "parties.", reader)
    assert (use.actions, transfer.actions) == (("use",), ("transfer",))
    for obligation in (use, transfer):
        assert (obligation.bound.key, obligation.force.polarity, obligation.object) == (RECIPIENT, NEGATIVE,
                                                                                         "products")
        assert [e.words.text for e in obligation.exceptions] == [
            "without the prior consent of the Government of Japan"]
    assert transfer.object_words.text == "them"


def test_each_item_of_an_enumeration_takes_the_head_of_the_sentence(reader):
    transfer, use = read("The Government of the Philippines undertakes: (a) not to transfer the Equipment to any "
                         "third party; and (b) to use the Equipment solely for the Project.", reader)
    assert (transfer.force.polarity, use.force.polarity) == (NEGATIVE, POSITIVE)
    assert transfer.bound.key == use.bound.key == RECIPIENT
    assert "undertakes" in transfer.force.words.text and "not" in transfer.force.words.text


def test_the_note_s_own_defined_terms_name_what_the_words_before_them_name(reader):
    definitions = definitions_of(['The Government of Japan shall extend a grant (hereinafter referred to as "the '
                                  'Aid") for the coastal radar systems listed in the Annex (hereinafter "the Kit").'],
                                 reader, RECIPIENT_NAMES)
    assert dict(definitions.terms) == {("aid",): "grant", ("kit",): "products"}
    (obligation,) = read_sentence("The Kit shall be used exclusively for the Programme.", definitions, reader)
    assert obligation.object == "products"
    (obligation,) = read_sentence("The Aid shall be used exclusively for the Programme.", definitions, reader)
    assert obligation.object == "grant"


@pytest.mark.parametrize(("text", "strength"), [
    ("The Government of the Republic of the Philippines shall endeavour to ensure that the Products are used in "
     "conformity with the Charter.", EFFORT),
    ("The Government of the Republic of the Philippines should use the Products in conformity with the Charter.", WEAK),
    ("The Government of the Republic of the Philippines may decide whether it shall use the Products in conformity "
     "with the Charter.", WEAK),
    ("The Government of the Republic of the Philippines will use the Products in conformity with the Charter.",
     BINDING),
])
def test_force_reads_effort_weak_and_binding_words(reader, text, strength):
    (obligation,) = read(text, reader)
    assert obligation.force.strength == strength


def test_a_gerund_after_a_preposition_is_no_obligation(reader):
    assert read("The recipient Government shall not be required to notify the Government of Japan before "
                "disposing of any Products.", reader) == ()


def test_the_library_states_every_obligation_its_clauses_describe(library):
    reading = prepare_reading(library, None)
    for clause_id, provision in reading.provisions.items():
        for described in provision.obligations:
            for references in reading.references.values():
                assert references[clause_id][described.name], (clause_id, described.name)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list("abc ,;:.()\"'-") + [
    "shall", " not ", " transfer ", " the Products ", " without ", " consent ", " unless ", " by ", " them ", "(a)",
    " undertakes", " be ", " Japan ", " hereinafter referred to as ", " use ", " nor ", " for ", " or "]),
    max_size=40).map("".join))
def test_any_text_is_read_without_failing(reader, text):
    for obligation in read(text, reader):
        assert obligation.actions and obligation.to_dict()["force"]["strength"] in (BINDING, EFFORT, WEAK, "none")


def test_an_enumeration_over_paragraphs_states_the_provisions_of_its_items(library, philippines):
    from osa_agreements.checking.engine import check_text

    from .drafts import base_draft, document

    values = philippines.values()
    paragraphs = [p for p in base_draft(library, values)
                  if p["clause"] not in ("no-third-party-transfer", "no-extra-purpose-use")]
    government = values["recipient.government"]
    items = [f"The {government} undertakes:",
             "(a) not to transfer the Products or any part of them to any third party, whether by sale, lease, "
             "loan, gift or otherwise, without the prior consent of the Government of Japan; and",
             "(b) to use the Products solely for the purposes of the Programme."]
    paragraphs[-4:-4] = [{**paragraphs[0], "text": text, "clause": None} for text in items]
    results = {r.id: r for r in check_text(document(paragraphs), library, values)}
    for clause_id in ("no-third-party-transfer", "no-extra-purpose-use"):
        assert (results[clause_id].status, results[clause_id].material) == ("modified", False), results[clause_id]
        assert any(f.kind == "equivalent-wording" for f in results[clause_id].findings)
