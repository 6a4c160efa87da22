"""What we say to the counterpart: a check's findings as comments in the language of a drafter.

Each comment names the paragraph and the provision, says what was done to it in
plain words, gives the basis in the Implementation Guidelines for OSA (the
clause's ``basis``) and quotes the agreed wording. Any material finding gets one;
a finding of a kind not known here is said in the checker's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from osa_agreements.library.clauses import Clause
from osa_agreements.checking import finding_kinds as kinds
from osa_agreements.checking.results import ClauseResult, Finding

GUIDELINES = "the Implementation Guidelines for OSA"
ELSEWHERE = frozenset(getattr(kinds, name) for name in ("OVERRIDE", "WEAKER_ELSEWHERE", "REDEFINED")
                      if hasattr(kinds, name))
"""Finding kinds about a sentence elsewhere that takes away from the clause, when the checker reports them:
said once, on that sentence (``paragraph_comment``), not again on the clause."""
_QUOTED = re.compile(r"'([^']*)'")


@dataclass(frozen=True)
class Remark:
    """One thing to tell the counterpart: the sentence, and the words of the draft it is about (if any)."""

    change: str
    quote: str | None = None


def remark(finding: Finding) -> Remark:
    """Return what ``finding`` means for the counterpart, and the draft's words to anchor it on."""
    quoted = _QUOTED.findall(finding.message)
    first = quoted[0] if quoted else ""
    last = quoted[-1] if quoted else None
    message = finding.message
    if finding.kind == kinds.MODAL and " weakened to " in message:
        return Remark(f"'{first}' has been replaced by '{last}', which weakens the obligation", last)
    if finding.kind == kinds.MODAL and message.endswith("added"):
        return Remark(f"{_words(first)} been added, which weakens the obligation", first)
    if finding.kind == kinds.MODAL:
        return Remark(f"{_words(first)} been removed, which weakens the obligation")
    return _other_remark(finding, quoted, first, last)


def _other_remark(finding: Finding, quoted: list[str], first: str, last: str | None) -> Remark:
    kind, message = finding.kind, finding.message
    if kind == kinds.NEGATION and "removed" in message:
        return Remark(f"{_words(first)} been removed, which reverses the obligation")
    if kind == kinds.NEGATION:
        return Remark(f"{_words(first)} been added, which changes the obligation", first)
    if kind == kinds.QUALIFIER:
        where = " after the provision" if "after the clause" in message else ""
        return Remark(f"the qualification '{first}' has been added{where}, which limits the obligation", first)
    if kind == kinds.ESSENTIAL:
        return Remark(f"{_words(first)} been removed")
    if kind == kinds.PARTY and len(quoted) > 1:
        return Remark(f"the party bound by the obligation has been changed from '{first}' to '{last}'", last)
    if kind == kinds.PLACEHOLDER and quoted:
        return Remark(f"the words '{last}' agreed for this programme have been changed")
    if kind == kinds.SCOPE:
        return Remark(f"the scope of the obligation has been narrowed ({message.removeprefix('scope narrowed: ')})",
                      last)
    if kind == kinds.CONSENT:
        return Remark(f"the requirement of the prior consent of the Government of Japan has been weakened ({message})",
                      last)
    if kind in (kinds.CONDITION, kinds.TIME):
        what = "a time limit" if kind == kinds.TIME else "a condition"
        return Remark(f"{what} '{first}' has been added, which limits the obligation", first)
    if kind == kinds.WORDING:
        return Remark(f"the wording has been changed ({message.removeprefix('words changed: ')})")
    if kind == kinds.DUPLICATE:
        return Remark(f"a second, differing copy of this provision stands in the draft ({message})")
    return Remark(f"the text has been changed ({message})")


def _words(quoted: str) -> str:
    """Return "the word 'x' has" or "the words 'x y' have", to go on with "been ..."."""
    return f"the words '{quoted}' have" if len(quoted.split()) > 1 else f"the word '{quoted}' has"


def paragraph_name(result: ClauseResult) -> str:
    """Return how a comment names the clause's paragraph: ``Paragraph 9 (No transfer to third parties)``."""
    number = (result.location.number or "").strip().rstrip(".") if result.location else ""
    if number.startswith("("):
        return f"Sub-paragraph {number} ({result.title})"
    return f"Paragraph {number} ({result.title})" if number else f"The provision '{result.title}'"


def basis(clause: Clause) -> str:
    """Return the sentence giving the clause's basis in the Guidelines."""
    if clause.mandatory:
        return f"This provision is required by {GUIDELINES}, {clause.basis}."
    return f"This provision is part of the agreed text ({GUIDELINES}, {clause.basis})."


def modified_comment(result: ClauseResult, clause: Clause, finding: Finding, agreed: str) -> Remark:
    """Return the comment on one material finding in a modified clause, and the words to anchor it on."""
    said = remark(finding)
    text = (f"{paragraph_name(result)}: {_sentence(said.change)} {basis(clause)} "
            f"We propose to keep the agreed wording: '{agreed}'")
    return Remark(text, said.quote)


def missing_comment(result: ClauseResult, clause: Clause, agreed: str) -> str:
    """Return the comment on a clause that has no counterpart in the draft."""
    where = {kinds.IN_DELETION: " It has been deleted as a tracked change.",
             kinds.IN_COMMENT: " Its words now stand only in a comment.",
             kinds.IN_HIDDEN_TEXT: " Its words now stand only in hidden text."}
    fate = "".join(dict.fromkeys(where[f.kind] for f in result.findings if f.kind in where))
    return (f"The provision '{clause.title}' does not appear in the draft.{fate} {basis(clause)} "
            f"We propose to insert the agreed wording: '{agreed}'")


def restored_reason(result: ClauseResult, clause: Clause) -> str:
    """Return the comment on our tracked change putting a modified clause's agreed wording back."""
    said = [f for f in result.findings if f.material and f.kind not in ELSEWHERE] or [
        f for f in result.findings if f.kind == kinds.WORDING]
    changes = "; ".join(dict.fromkeys(remark(f).change for f in said)) or "its wording differs from the agreed text"
    return (f"{paragraph_name(result)}: we have restored the agreed wording, as {changes}. "
            f"{basis(clause)}")


def inserted_reason(clause: Clause) -> str:
    """Return the comment on our tracked change inserting a missing clause."""
    return (f"We have inserted the provision '{clause.title}' in the agreed wording, as it does not appear "
            f"in the draft. {basis(clause)}")


def paragraph_comment(location, added: bool, overrides: list) -> str:
    """Return the comment on a paragraph of added text or one taking away from mandatory clauses.

    ``overrides`` pairs each overriding finding (``clause``, ``reason``) with its Clause (None if unknown).
    """
    subject = "this text is not part of the agreed text" + (", and it" if overrides else "") if added else "this text"
    by_clause: dict[str, tuple[str, list[str]]] = {}
    for override, clause in overrides:
        title = clause.title if clause is not None else override.clause
        by_clause.setdefault(override.clause, (title, []))[1].append(override.reason)
    taken = " and ".join(f"'{title}' ({'; '.join(reasons)})" for title, reasons in by_clause.values())
    several = len(by_clause) > 1
    what = f"{subject} takes away from the provision{'s' if several else ''} {taken}" if overrides else subject
    bases = sorted({clause.basis for _, clause in overrides if clause is not None})
    required = (f" {'These provisions are' if several else 'This provision is'} required by "
                f"{GUIDELINES}, {' and '.join(bases)}.") if bases else ""
    return f"{_place_name(location)}: {what}.{required} We propose to delete it."


def deleted_reason(location, titles: list[str]) -> str:
    """Return the comment on our tracked deletion of a paragraph of added text."""
    overrides = f" and takes away from {_titles(titles)}" if titles else ""
    return f"{_place_name(location)}: we have deleted this text, which is not part of the agreed text{overrides}."


def _titles(titles: list[str]) -> str:
    return "the provision" + ("s " if len(titles) > 1 else " ") + " and ".join(f"'{t}'" for t in titles)


def _place_name(location) -> str:
    number = (location.number or "").strip().rstrip(".")
    return f"Paragraph {number}" if number and not number.startswith("(") else (
        f"Sub-paragraph {number}" if number else "This paragraph")


def _sentence(change: str) -> str:
    """Return ``change`` as a sentence: first letter capitalised, full stop at the end."""
    return change[:1].upper() + change[1:] + ("" if change.endswith(".") else ".")
