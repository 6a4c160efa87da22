"""Typography of the Notes: typographic quotation marks and apostrophes.

A Note is printed matter: “the Grant”, Excellency’s. Clause text and programme
values are typed with straight quotes on a keyboard; they are set here. The
rules are those of English prose: a quotation mark after a space, an opening
bracket or a dash (or at the start) opens, any other closes; an apostrophe
inside or at the end of a word is a closing single mark (Japan’s, Dato’,
Nuku’alofa). Text that already has typographic marks is left as it is.
"""

from __future__ import annotations

import re

_OPENS_AFTER = r"(^|(?<=[\s(\[{\u2014\u2013\u201c\u2018/-]))"
_DOUBLE_OPEN = re.compile(_OPENS_AFTER + '"')
_SINGLE_OPEN = re.compile(_OPENS_AFTER + "'(?=\\w)")


def typographic(text: str) -> str:
    """Return ``text`` with straight quotes and apostrophes set as typographic ones (“ ” ‘ ’)."""
    if '"' not in text and "'" not in text:
        return text
    text = _DOUBLE_OPEN.sub("\u201c", text).replace('"', "\u201d")
    return _SINGLE_OPEN.sub("\u2018", text).replace("'", "\u2019")


def typographic_data(value):
    """Return ``value`` (text, or lists and mappings of it) with every text set typographically."""
    if isinstance(value, str):
        return typographic(value)
    if isinstance(value, dict):
        return {key: typographic_data(child) for key, child in value.items()}
    if isinstance(value, list):
        return [typographic_data(child) for child in value]
    return value
