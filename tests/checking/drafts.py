"""Received drafts as plain records: the library rendered for a programme, then edited as a counterpart would.

A draft is a list of paragraphs (dicts) until ``document`` turns it into DocumentText;
each edit of tests/checking/cases.yaml is one function here, named by its ``edit``.
"""

from __future__ import annotations

from osa_agreements.library.clauses import ClauseLibrary
from osa_agreements.ooxml.records import Block, Comment, DocumentText, Revision

AUTHOR, DATE = "Maria Santos", "2026-01-05T09:30:00Z"

NOTE_ORDER = (
    "opening", "grant-purpose-amount", "period-of-availability", "use-of-grant", "procurement", "undertakings",
    "information-disclosure", "monitoring-evaluation", "no-extra-purpose-use", "no-third-party-transfer",
    "un-charter-conformity", "consultation", "entry-into-force", "complimentary-close",
    "reply-opening", "reply-confirmation",
)
NUMBERED = NOTE_ORDER[1:12]
ANNEX = ("Annex", "List of the Products", "Coastal radar system: 5 sets", "Related equipment: 1 set")


def base_draft(library: ClauseLibrary, values: dict[str, str]) -> list[dict]:
    """Return the paragraphs of a Note holding every library clause, as ``osa draft`` would write it."""
    order = [c for c in NOTE_ORDER if c in library.clauses] + sorted(set(library.clauses) - set(NOTE_ORDER))
    paragraphs = [_paragraph("Excellency,")]
    for clause_id in order:
        paragraphs += clause_paragraphs(library, clause_id, values)
    return paragraphs + [_paragraph(text) for text in ANNEX]


def clause_paragraphs(library: ClauseLibrary, clause_id: str, values: dict[str, str],
                      variant: str | None = None) -> list[dict]:
    """Return the paragraphs of one clause, numbered like the Note's paragraphs and items."""
    clause = library[clause_id]
    texts = clause.variant(variant).render(values)
    number = f"{NUMBERED.index(clause_id) + 1}." if clause_id in NUMBERED else None
    tag = f"osa-clause:{clause.id}@{clause.version}" + (f"/{variant}" if variant else "")
    return [_paragraph(text, clause_id, number if i == 0 else f"({'abcdefgh'[i - 1]})", tag)
            for i, text in enumerate(texts)]


def _paragraph(text: str, clause: str | None = None, number: str | None = None, tag: str | None = None) -> dict:
    return {"text": text, "clause": clause, "number": number, "tag": tag, "part": "document",
            "container": "body", "original": "", "hidden": "", "revisions": []}


def document(paragraphs: list[dict], comments: tuple[Comment, ...] = ()) -> DocumentText:
    """Return the paragraphs as DocumentText: main text first, then each other part, indexes per part."""
    parts = list(dict.fromkeys(["document"] + [p["part"] for p in paragraphs]))
    blocks = []
    for part in parts:
        mine = [p for p in paragraphs if p["part"] == part]
        blocks += [Block(part, i, p["text"], p["original"] or p["text"], p["hidden"], p["number"], p["container"],
                         p["tag"], tuple(p["revisions"])) for i, p in enumerate(mine, 1)]
    return DocumentText(tuple(blocks), comments)


def apply_edits(paragraphs: list[dict], edits: list[dict], library: ClauseLibrary,
                values: dict[str, str]) -> tuple[list[dict], tuple[Comment, ...]]:
    """Return the paragraphs and comments after ``edits`` (each {edit: name, ...arguments})."""
    comments: list[Comment] = []
    for edit in edits:
        arguments = {k: v for k, v in edit.items() if k != "edit"}
        paragraphs = EDITS[edit["edit"]](paragraphs, library=library, values=values, comments=comments, **arguments)
    return paragraphs, tuple(comments)


def _indexes(paragraphs: list[dict], clause: str) -> list[int]:
    found = [i for i, p in enumerate(paragraphs) if p["clause"] == clause]
    assert found, f"no paragraph of {clause} to edit"
    return found


def _where(paragraphs: list[dict], clause: str, text: str) -> tuple[int, int]:
    """Return (paragraph index, offset) of the first ``text`` in the clause's paragraphs."""
    for index in _indexes(paragraphs, clause):
        offset = paragraphs[index]["text"].find(text)
        if offset >= 0:
            return index, offset
    raise AssertionError(f"'{text}' is not in {clause}")


def replace(paragraphs, clause, old, new, **_):
    index, offset = _where(paragraphs, clause, old)
    text = paragraphs[index]["text"]
    paragraphs[index] = {**paragraphs[index], "text": text[:offset] + new + text[offset + len(old):]}
    return paragraphs


def retype(paragraphs, clause, table, **_):
    """Replace characters one for one in the clause (quote styles, dashes, spaces)."""
    for index in _indexes(paragraphs, clause):
        paragraphs[index] = {**paragraphs[index], "text": paragraphs[index]["text"].translate(str.maketrans(table))}
    return paragraphs


def typed_label(paragraphs, clause, label, **_):
    index = _indexes(paragraphs, clause)[0]
    paragraphs[index] = {**paragraphs[index], "text": label + paragraphs[index]["text"], "number": None}
    return paragraphs


def typed_item_labels(paragraphs, clause, **_):
    for letter, index in zip("abcdefgh", _indexes(paragraphs, clause)[1:]):
        paragraphs[index] = {**paragraphs[index], "text": f"({letter})\t{paragraphs[index]['text']}", "number": None}
    return paragraphs


def capitalise_items(paragraphs, clause, **_):
    for index in _indexes(paragraphs, clause)[1:]:
        text = paragraphs[index]["text"]
        paragraphs[index] = {**paragraphs[index], "text": text[0].upper() + text[1:]}
    return paragraphs


def move_to_end(paragraphs, clause, **_):
    moved = [p for p in paragraphs if p["clause"] == clause]
    return [p for p in paragraphs if p["clause"] != clause] + moved


def swap(paragraphs, clause, other, **_):
    first, second = _indexes(paragraphs, clause), _indexes(paragraphs, other)
    block_a, block_b = [paragraphs[i] for i in first], [paragraphs[i] for i in second]
    start, stop = min(first + second), max(first + second) + 1
    middle = [p for p in paragraphs[start:stop] if p["clause"] not in (clause, other)]
    return paragraphs[:start] + block_b + middle + block_a + paragraphs[stop:]


def relocate(paragraphs, clause, part="document", container="body", **_):
    """Put the clause in another part (moved after the main text) or another container."""
    moved = [{**p, "part": part, "container": container} for p in paragraphs if p["clause"] == clause]
    if part == "document":
        return [moved.pop(0) if p["clause"] == clause else p for p in paragraphs]
    return [p for p in paragraphs if p["clause"] != clause] + moved


def merge_with_next(paragraphs, clause, **_):
    index = _indexes(paragraphs, clause)[-1]
    merged = {**paragraphs[index], "text": paragraphs[index]["text"] + " " + paragraphs[index + 1]["text"]}
    return paragraphs[:index] + [merged] + paragraphs[index + 2:]


def merge_items(paragraphs, clause, **_):
    indexes = _indexes(paragraphs, clause)
    merged = {**paragraphs[indexes[0]], "text": " ".join(paragraphs[i]["text"] for i in indexes)}
    return paragraphs[:indexes[0]] + [merged] + paragraphs[indexes[-1] + 1:]


def split_paragraph(paragraphs, clause, at, **_):
    index, offset = _where(paragraphs, clause, at)
    text = paragraphs[index]["text"]
    first = {**paragraphs[index], "text": text[:offset].rstrip()}
    second = {**paragraphs[index], "text": text[offset:], "number": None}
    return paragraphs[:index] + [first, second] + paragraphs[index + 1:]


def use_variant(paragraphs, clause, name, library, values, **_):
    indexes = _indexes(paragraphs, clause)
    new = clause_paragraphs(library, clause, values, name)
    return paragraphs[:indexes[0]] + new + paragraphs[indexes[-1] + 1:]


def use_value(paragraphs, clause, placeholder, value, library, values, **_):
    """Render the clause with another value for one placeholder."""
    indexes = _indexes(paragraphs, clause)
    new = clause_paragraphs(library, clause, {**values, placeholder: value})
    return paragraphs[:indexes[0]] + new + paragraphs[indexes[-1] + 1:]


def duplicate(paragraphs, clause, **_):
    return paragraphs + [dict(p) for p in paragraphs if p["clause"] == clause]


def delete_clause(paragraphs, clause, **_):
    _indexes(paragraphs, clause)
    return [p for p in paragraphs if p["clause"] != clause]


def blank_clause(paragraphs, clause, text, **_):
    """Replace the clause's words but keep its paragraph and drafting tag."""
    index = _indexes(paragraphs, clause)[0]
    paragraphs[index] = {**paragraphs[index], "text": text}
    return paragraphs


def tracked_delete_clause(paragraphs, clause, **_):
    for index in _indexes(paragraphs, clause):
        text = paragraphs[index]["text"]
        paragraphs[index] = {**paragraphs[index], "text": "", "original": text,
                             "revisions": [Revision("delete", AUTHOR, DATE, text, 0)]}
    return paragraphs


def tracked_insert(paragraphs, clause, after, text, **_):
    index, offset = _where(paragraphs, clause, after)
    at = offset + len(after)
    old = paragraphs[index]["text"]
    paragraphs[index] = {**paragraphs[index], "text": old[:at] + text + old[at:], "original": old,
                         "revisions": [Revision("insert", AUTHOR, DATE, text, at)]}
    return paragraphs


def tracked_replace(paragraphs, clause, old, new, **_):
    index, offset = _where(paragraphs, clause, old)
    text = paragraphs[index]["text"]
    paragraphs[index] = {**paragraphs[index], "text": text[:offset] + new + text[offset + len(old):],
                         "original": text, "revisions": [Revision("delete", AUTHOR, DATE, old, offset),
                                                         Revision("insert", AUTHOR, DATE, new, offset)]}
    return paragraphs


def into_comment(paragraphs, clause, comments, **_):
    text = " ".join(p["text"] for p in paragraphs if p["clause"] == clause)
    comments.append(Comment(str(len(comments)), AUTHOR, DATE, f"We propose to delete this: {text}"))
    return delete_clause(paragraphs, clause)


def hide(paragraphs, clause, **_):
    for index in _indexes(paragraphs, clause):
        paragraphs[index] = {**paragraphs[index], "text": "", "hidden": paragraphs[index]["text"]}
    return paragraphs


EDITS = {f.__name__: f for f in (
    replace, retype, typed_label, typed_item_labels, capitalise_items, move_to_end, swap, relocate,
    merge_with_next, merge_items, split_paragraph, use_variant, use_value, duplicate, delete_clause, blank_clause,
    tracked_delete_clause, tracked_insert, tracked_replace, into_comment, hide,
)}
