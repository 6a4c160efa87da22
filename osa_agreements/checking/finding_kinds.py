"""The kinds of finding the checker reports (``Finding.kind``), and which of them can be material."""

from __future__ import annotations

MODAL = "modal-weakened"
"""A binding modal verb weakened or removed ("shall" to "should"), or a weakener added ("endeavour"):
the obligation no longer binds, or binds only to an effort."""
NEGATION = "negation-changed"
"""A negation added or removed ("not", "no", "without" ...)."""
ESSENTIAL = "essential-term-gone"
"""One of the clause's ``essential_terms``, or an element of its obligation (Japan's prior consent, the
counterpart, a whole obligation), is no longer there."""
PARTY = "party-changed"
"""The subject of a modal verb (the obliged party) changed."""
QUALIFIER = "qualifier-added"
"""A limiting qualifier added ("to the extent possible", "unless ..."), in the clause or the sentence after it."""
PLACEHOLDER = "placeholder-value"
"""A placeholder holds another value than the programme's, or than the rest of the document's."""
MISSING = "missing"
"""No counterpart in the agreement text (material for a mandatory clause)."""
DUPLICATE = "duplicate"
"""The clause appears more than once; material only when a differing copy weakens it."""
WORDING = "words-changed"
"""Other word or punctuation changes (never material)."""
LOCATION = "location"
"""The clause stands outside the running text of the Note: another part, a table, a text box."""
TRACKED = "tracked-change"
"""A tracked change touches the clause."""
IN_DELETION = "survives-in-deleted-revision"
"""A missing clause's text stands in a tracked deletion."""
IN_COMMENT = "survives-in-comment"
"""A missing clause's text stands in a comment."""
IN_HIDDEN_TEXT = "survives-in-hidden-text"
"""A missing clause's text stands in hidden text."""

SCOPE = "scope-narrowed"
"""What the obligation covers is narrowed: its object ("or of any part of them" removed), its action
("sell" for every transfer), its counterpart ("third countries" for "third parties") or another element."""
CONSENT = "consent-weakened"
"""Japan's prior consent turned into consultation or notice, given by another party, or its giver no longer named."""
CONDITION = "condition-added"
"""The duty made conditional ("upon the request of", "as may be mutually agreed", "with the consent of" the recipient)."""
TIME = "time-limited"
"""The duty limited in time ("for a period of five years")."""
EQUIVALENT = "equivalent-wording"
"""The provision in other words, every element there in at least the library's force and scope (never material).
The finding lists each element and the draft's words for it."""
NOT_READ = "not-read"
"""The obligation could not be read in the draft's words: the clause is judged on its words only (never material)."""

OVERRIDE = "overridden"
"""A sentence elsewhere in the agreement points at the clause with an overriding form ("Notwithstanding paragraph 9")."""
WEAKER_ELSEWHERE = "weakened-elsewhere"
"""A sentence elsewhere states the clause's action with less force ("may transfer the Products to ...")."""
REDEFINED = "term-redefined"
"""A sentence elsewhere defines or narrows a term the clause depends on ("'the Products' do not include ...")."""
INCONSISTENT = "inconsistent"
"""The Note disagrees with itself: an amount or period in words and figures, the recipient's name, the signing date."""
IN_FURNITURE = "stands-in-page-furniture"
"""A missing clause's text stands only in a page header or footer, which is not agreement text."""
UNKNOWN_TAG = "unknown-clause-tag"
"""A paragraph is tagged as a clause, or a clause version, that the checking library does not have."""

MATERIAL_KINDS = (MODAL, NEGATION, ESSENTIAL, PARTY, QUALIFIER, PLACEHOLDER, MISSING, DUPLICATE, SCOPE, CONSENT,
                  CONDITION, TIME, OVERRIDE, WEAKER_ELSEWHERE, REDEFINED, INCONSISTENT)
FINDING_KINDS = MATERIAL_KINDS + (WORDING, EQUIVALENT, NOT_READ, LOCATION, TRACKED, IN_DELETION, IN_COMMENT,
                                  IN_HIDDEN_TEXT, IN_FURNITURE, UNKNOWN_TAG)
OBLIGATION_KINDS = (MODAL, NEGATION, ESSENTIAL, PARTY, QUALIFIER, SCOPE, CONSENT, CONDITION, TIME, EQUIVALENT)
"""The kinds a reading of the obligations reports; they replace the word comparison's findings of these kinds."""
