"""Decisions on obligations: does a draft state each described obligation, and in full force?

Each described obligation is compared with the draft's obligations that state its
action on its object, and with the library's own reading of it (the reference):
the draft must bind the right party, at least as strongly, cover at least as much,
keep Japan's prior consent as the only way out where the library has it, and add
no qualifier, condition or time limit the library lacks. Each shortfall is one
material finding naming the element; a draft that keeps every element gets one
"equivalent wording" finding listing them with the draft's words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from osa_agreements.checking import finding_kinds as kinds
from osa_agreements.checking.obligations import (BINDING, EFFORT, JAPAN, NEGATIVE, NONE, POSITIVE, RECIPIENT, STRENGTH, UNSTATED, WEAK,
                          Obligation, Quote)
from osa_agreements.checking.provisions import Described, Element, Provision
from osa_agreements.checking.results import Finding, Named
from osa_agreements.checking.vocabulary import key_of

PARTY_NAMES = {RECIPIENT: "the recipient Government", JAPAN: "the Government of Japan",
               "both": "the two Governments", UNSTATED: "nobody named (a passive without agent)"}
_NEGATIONS = frozenset({"not", "never", "no", "nor", "cannot"})


@dataclass(frozen=True)
class Stated:
    """An obligation of the draft and the sentence it stands in (``place``: an index the caller understands)."""

    obligation: Obligation
    place: int


@dataclass(frozen=True)
class Decision:
    """Whether the draft states the provision (its core obligation's action on its object), the findings, the places."""

    found: bool
    findings: tuple[Finding, ...]
    places: tuple[int, ...]

    @property
    def material(self) -> bool:
        """Return True when a finding weakens the provision."""
        return any(f.material for f in self.findings)


@dataclass(frozen=True)
class Judged:
    """One draft obligation judged against one reference: its shortfalls and the elements it keeps."""

    stated: Stated | None
    shortfalls: tuple[Finding, ...]
    kept: tuple[Named, ...]


def decide(provision: Provision, references: dict[str, tuple[Obligation, ...]],
           stated: Sequence[Stated], preferred: frozenset[int] = frozenset()) -> Decision:
    """Return the decision on ``provision``: ``references`` are the library's obligations by described name.

    Draft obligations in ``preferred`` places (where the words of the clause stand) are
    taken first among equals.
    """
    findings: list[Finding] = []
    kept: list[Named] = []
    places: list[int] = []
    before: list[Obligation] = []
    for index, described in enumerate(provision.obligations):
        judged = _judge_described(described, references.get(described.name, ()), stated, preferred, places)
        if judged is None and index == 0:
            return Decision(False, (), ())
        inside = stated_inside(provision.obligations[index - 1], before) if judged is None and index else None
        if inside is not None:
            kept.append(inside)
        elif judged is None:
            findings.append(_obligation_gone(described, references.get(described.name, ())))
        for one in judged or ():
            findings += one.shortfalls
            kept += one.kept
            if one.stated is not None:
                places.append(one.stated.place)
                before.append(one.stated.obligation)
    if not any(f.material for f in findings):
        findings.insert(0, _equivalent(kept))
    return Decision(True, tuple(dict.fromkeys(findings)), tuple(dict.fromkeys(places)))


def _judge_described(described: Described, references: tuple[Obligation, ...], stated: Sequence[Stated],
                     preferred: frozenset[int], places: list[int]) -> list[Judged] | None:
    """Return the best draft obligation for each action group and reference, None when none states it."""
    candidates = [s for s in stated if described.concerns(s.obligation)]
    if not candidates:
        return None
    judged = []
    for group in described.action_groups:
        in_group = [s for s in candidates if s.obligation.actions[0] in group | described.narrower_actions]
        if not in_group:
            judged.append(_group_gone(described, group, references))
            continue
        judged += _best_per_reference(described, group, references, in_group, preferred | frozenset(places))
    return judged


def _best_per_reference(described: Described, group: frozenset[str], references: tuple[Obligation, ...],
                        candidates: list[Stated], preferred: frozenset[int]) -> list[Judged]:
    """Return, for each reference of the group the draft has a counterpart of, its best counterpart judged.

    A counterpart has the reference's polarity; when none has, the best candidate is
    judged against the first reference (and its polarity found wanting).
    """
    mine = [r for r in references if r.actions[0] in group] or list(references[:1]) or [None]
    results = []
    for reference in mine:
        same = [c for c in candidates if reference is None or c.obligation.force.polarity == reference.force.polarity]
        if same:
            results.append(_best(described, reference, same, preferred))
    if not results:
        results.append(_best(described, mine[0], candidates, preferred))
    return results


def _best(described: Described, reference: Obligation | None, candidates: list[Stated],
          preferred: frozenset[int]) -> Judged:
    judged = [judge(described, reference, c) for c in candidates]
    return min(judged, key=lambda j: (sum(f.material for f in j.shortfalls), j.stated.place not in preferred,
                                      j.stated.place))


def judge(described: Described, reference: Obligation | None, stated: Stated) -> Judged:
    """Return the draft obligation judged element by element against the described one and its reference."""
    draft = stated.obligation
    shortfalls: list[Finding] = []
    kept: list[Named] = []
    for check in (_bound, _force, _polarity, _action, _object_scope, _elements, _exceptions, _limits):
        found, named = check(described, reference, draft)
        shortfalls += found
        kept += named
    return Judged(stated, tuple(shortfalls), tuple(kept))


Checked = tuple[list[Finding], list[Named]]


def _quoted(quote: Quote | None) -> str:
    return quote.text if quote is not None else ""


def _force_and_action(draft: Obligation) -> str:
    force = _quoted(draft.force.words)
    action = draft.action_words.text
    return f"{force} {action}" if force and action not in force else force or action


def _bound(described: Described, reference: Obligation | None, draft: Obligation) -> Checked:
    party = draft.bound
    if party.key in described.bound:
        return [], [Named("bound party", _quoted(party.words) or None)]
    wanted = " or ".join(PARTY_NAMES[k] for k in sorted(described.bound) if k != UNSTATED)
    words = _quoted(party.words)
    if party.key == UNSTATED:
        message = f"bound party no longer named: '{_force_and_action(draft)}' binds nobody named, not {wanted}"
    else:
        message = f"duty moved to another party: '{words}' is bound, not {wanted}"
    return [Finding(kinds.PARTY, message, True, (Named("bound party", _quoted(party.words) or None),))], []


def _force(described: Described, reference: Obligation | None, draft: Obligation) -> Checked:
    wanted = reference.force.strength if reference is not None else BINDING
    words = _quoted(draft.force.words)
    if STRENGTH[draft.force.strength] >= STRENGTH[wanted]:
        return [], [Named("force", words)]
    was, now = _changed_words(_quoted(reference.force.words) if reference is not None else "shall", words)
    named = (Named("force", words or None),)
    if draft.force.strength == EFFORT and draft.force.effort is not None:
        message = f"obligation of effort instead of result: '{draft.force.effort.text}' added"
        named = (Named("force", draft.force.effort.text),)
    elif draft.force.strength == EFFORT:
        message = f"'{was}' weakened to '{now}': an obligation of effort only, not of result"
    elif draft.force.strength == WEAK:
        message = f"'{was}' weakened to '{now}': the obligation no longer binds"
    else:
        message = f"'{was}' removed: '{draft.action_words.text}' states a fact, it does not oblige"
    return [Finding(kinds.MODAL, message, True, named)], []


def _changed_words(was: str, now: str) -> tuple[str, str]:
    """Return ``was`` and ``now`` without negations and the words they share at both ends ("shall not",
    "should not" give "shall", "should")."""
    old = [w for w in was.split() if w.casefold() not in _NEGATIONS] or was.split()
    new = [w for w in now.split() if w.casefold() not in _NEGATIONS] or now.split()
    while len(old) > 1 and len(new) > 1 and old[-1].casefold() == new[-1].casefold():
        old, new = old[:-1], new[:-1]
    while len(old) > 1 and len(new) > 1 and old[0].casefold() == new[0].casefold():
        old, new = old[1:], new[1:]
    return " ".join(old), " ".join(new)


def _polarity(described: Described, reference: Obligation | None, draft: Obligation) -> Checked:
    wanted = described.polarity
    if wanted == "either" or draft.force.polarity == wanted:
        return [], []
    return [_reversal(draft, wanted)], []


def _reversal(draft: Obligation, wanted: str) -> Finding:
    """Return the finding on a prohibition turned into a duty or permission, or a duty turned into a prohibition."""
    words = _force_and_action(draft)
    if wanted == NEGATIVE:
        message = f"negation removed: 'not' is gone, and '{words}' no longer forbids it"
    else:
        negation = next((w for w in words.split() if w.casefold() in _NEGATIONS), "not")
        message = f"negation added: '{negation}' in '{words}', which now forbids what the library requires"
    return Finding(kinds.NEGATION, message, True, (Named("force", words),))


def _action(described: Described, reference: Obligation | None, draft: Obligation) -> Checked:
    lemma, words = draft.actions[0], draft.action_words.text
    general = frozenset().union(*described.action_groups)
    ref_words = reference.action_words.text if reference is not None else sorted(general)[0]
    if lemma not in general and "any-manner" not in draft.scope:
        message = f"scope narrowed: only '{words}', where the library covers every way to '{ref_words}'"
        return [Finding(kinds.SCOPE, message, True, (Named("action", words),))], []
    shortfalls = []
    manners = sorted(s.split(":", 1)[1] for s in draft.scope if s.startswith("manner:"))
    if manners and "any-manner" not in draft.scope and reference is not None and "any-manner" in reference.scope:
        message = f"scope narrowed: 'or otherwise' removed, only {', '.join(manners)} covered"
        shortfalls.append(Finding(kinds.SCOPE, message, True, (Named("action", words),)))
    return shortfalls, [Named("action", words)]


def _object_scope(described: Described, reference: Obligation | None, draft: Obligation) -> Checked:
    words = _quoted(draft.object_words) or None
    if reference is None:
        return [], [Named("object", words)] if words else []
    shortfalls = [_narrowed("object", f"'{_scope_words(reference, feature)}' removed", words)
                  for feature in ("facilities", "part") if feature in reference.scope and feature not in draft.scope]
    rights = {"ownership", "possession"}
    if rights <= reference.scope and len(rights & draft.scope) == 1:
        gone = (rights - draft.scope).pop()
        shortfalls.append(_narrowed("object", f"'{_scope_words(reference, gone)}' removed", words))
    return shortfalls, [Named("object", words)] if words else []


def _narrowed(element: str, what: str, words: str | None) -> Finding:
    return Finding(kinds.SCOPE, f"scope narrowed: {what}", True, (Named(element, words),))


def _scope_words(reference: Obligation, label: str) -> str:
    """Return the library's words for a scope feature ("or of any part of them")."""
    return reference.scope_quote(label) or label


def _elements(described: Described, reference: Obligation | None, draft: Obligation) -> Checked:
    shortfalls, kept = [], []
    keys = draft.frame_keys
    for element in described.elements:
        if not element.applies(draft):
            continue
        found, named = _element(element, described, draft, keys)
        shortfalls += found
        kept += named
    return shortfalls, kept


def _element(element: Element, described: Described, draft: Obligation, keys: tuple[str, ...]) -> Checked:
    """Return the shortfall of one element (narrowed, gone, only partly there), or its words kept."""
    if element.together:
        used = [w for w in element.together if _has(keys, w)]
        if used and len(used) < len(element.together):
            gone = [" ".join(w) for w in element.together if w not in used]
            return [_narrowed(element.name, f"'{' and '.join(gone)}' removed from '{element.says}'", None)], []
        if not used:
            return [], []
        places = [p for p in range(len(keys)) for w in used if keys[p:p + len(w)] == w]
        return [], [Named(element.name, draft.quote(min(places), max(places)).text)]
    hit = element.expressions.find(keys)
    if hit:
        position, phrase = hit[0]
        return [], [Named(element.name, draft.quote(position, position + len(phrase) - 1).text)]
    narrow = element.narrower.find(keys)
    if narrow:
        position, phrase = narrow[0]
        words = draft.quote(position, position + len(phrase) - 1).text
        return [_narrowed(element.name, f"'{words}' where the library has '{element.says}'", words)], []
    if not element.required:
        return [], []
    reversed_ = _reversed(element, described, draft, keys)
    if reversed_ is not None:
        return [reversed_], []
    return [Finding(kinds.ESSENTIAL, f"{element.name} gone: nothing stands for '{element.says}'", True,
                    (Named(element.name, None),))], []


def _reversed(element: Element, described: Described, draft: Obligation, keys: tuple[str, ...]) -> Finding | None:
    """Return a reversal when the element's other form is there ("shall not use ... in conformity with")."""
    others = [e for e in described.elements if e.name == element.name and e.when not in (None, element.when)]
    if not any(e.expressions.find(keys) for e in others):
        return None
    return _reversal(draft, others[0].when)


def _has(keys: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(keys[p:p + size] == phrase for p in range(len(keys) - size + 1))


def _exceptions(described: Described, reference: Obligation | None, draft: Obligation) -> Checked:
    shortfalls, kept = [], []
    for exception in draft.exceptions:
        words = exception.words.text
        named = (Named("exception", words),)
        if exception.kind == "consent" and exception.giver == JAPAN and described.exception != "none":
            kept.append(Named("exception", words))
        elif exception.kind == "consent" and exception.giver == UNSTATED and described.exception != "none":
            shortfalls.append(Finding(kinds.CONSENT, "the Government of Japan no longer named as the one who "
                                                     f"consents: '{words}'", True, named))
        elif exception.kind == "consent" and exception.giver != JAPAN:
            kind = kinds.CONSENT if described.exception != "none" else kinds.CONDITION
            what = "consent given by another party" if kind == kinds.CONSENT else "veto added"
            shortfalls.append(Finding(kind, f"{what}: '{words}'", True, named))
        elif exception.kind in ("consultation", "notification") and described.exception != "none":
            shortfalls.append(Finding(kinds.CONSENT, "the prior consent of the Government of Japan replaced by "
                                                     f"{exception.kind}: '{words}'", True, named))
        else:
            shortfalls.append(Finding(kinds.QUALIFIER, f"exception added: '{words}'", True, named))
    if described.exception == "required" and not kept and not shortfalls:
        says = _quoted(reference.exceptions[0].words) if reference is not None and reference.exceptions else \
            "without the prior consent of the Government of Japan"
        shortfalls.append(Finding(kinds.ESSENTIAL, f"the prior consent of the Government of Japan gone: nothing "
                                                   f"stands for '{says}'", True, (Named("exception", None),)))
    return shortfalls, kept


def _limits(described: Described, reference: Obligation | None, draft: Obligation) -> Checked:
    allowed = {limit.category for limit in reference.limits} if reference is not None else set()
    shortfalls, kept = [], []
    for limit in draft.limits:
        words = limit.words.text
        if limit.category in allowed:
            kept.append(Named(limit.kind, words))
            continue
        kind, what = {"condition": (kinds.CONDITION, "condition added"), "time": (kinds.TIME, "time limit added")}.get(
            limit.category, (kinds.QUALIFIER, "qualifier added"))
        shortfalls.append(Finding(kind, f"{what}: '{words}'", True, (Named(limit.kind, words),)))
    return shortfalls, kept


def _group_gone(described: Described, group: frozenset[str], references: tuple[Obligation, ...]) -> Judged:
    """Return a shortfall for an action group the draft does not state ("evaluated" gone)."""
    reference = next((r for r in references if r.actions[0] in group), None)
    says = reference.action_words.text if reference is not None else sorted(group)[0]
    finding = Finding(kinds.ESSENTIAL, f"action gone: nothing stands for '{says}' ({described.name})", True,
                      (Named("action", None),))
    return Judged(None, (finding,), ())


def _obligation_gone(described: Described, references: tuple[Obligation, ...]) -> Finding:
    """Return the finding on a described obligation that no sentence of the draft states."""
    says = references[0].sentence if references else described.name
    return Finding(kinds.ESSENTIAL, f"obligation gone: {described.name} ('{says}')", True,
                   (Named("obligation", None),))


def _equivalent(kept: list[Named]) -> Finding:
    """Return the non-material finding listing each element of the provision and the draft's words for it."""
    elements = tuple(dict.fromkeys(n for n in kept if n.words or n.element == "bound party"))
    listed = "; ".join(f"{n.element} '{n.words}'" if n.words else f"{n.element} not named (passive voice)"
                       for n in elements)
    return Finding(kinds.EQUIVALENT, f"in other words, in full force: {listed}", False, elements)


def stated_inside(described: Described, core: Sequence[Obligation]) -> Named | None:
    """Return the words stating ``described`` inside one of the core obligations ("with the cooperation of X")."""
    if described.stated_by is None:
        return None
    for obligation in core:
        keys = [key_of(t.key) for t in obligation.frame]
        hit = described.stated_by.find(keys)
        if hit:
            position, phrase = hit[0]
            return Named("cooperation", obligation.quote(position, min(len(keys) - 1, position + len(phrase) + 8)).text)
    return None
