"""The Note agrees with itself: numbers in words and figures, the recipient's name, the signing date.

* Every number written in words and then in figures ("six hundred million Japanese
  yen (¥600,000,000)", "twenty-four (24) months") must say the same number.
* The recipient Government is named the same way throughout: a shorter or other
  form of its name ("the Government of the Philippines") is a disagreement.
* The date line ("Manila, 3 November 2023") is a real date, the same in every date
  line of the draft, and the programme's signing date when the programme is given.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from osa_agreements.ooxml.records import Block

_FIGURES = re.compile(r"\(\s*(?:¥|JPY\s*|US\$\s*|\$|€|EUR\s*)?\s*(\d[\d,]*(?:\.\d+)?)\s*\)")
_WORDS_BEFORE = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
_GOVERNMENT = re.compile(r"\bGovernment of ((?:the )?[A-Z][\w'’.-]*(?:\s+(?!Government\b)(?:of|the|and|[A-Z][\w'’.-]*))*)")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_DATE_LINE = re.compile(rf"^\s*[^\d,]{{2,60}},\s*(\d{{1,2}})\s+({'|'.join(_MONTHS)})\s+(\d{{4}})\s*\.?\s*$",
                        re.IGNORECASE)
_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                     "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)}
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_CURRENCY = frozenset({"japanese", "yen", "united", "states", "us", "dollars", "dollar", "euros", "euro"})


@dataclass(frozen=True)
class Disagreement:
    """The Note disagreeing with itself in the paragraph at ``block`` (a position in the agreement's blocks)."""

    block: int
    message: str


def disagreements(blocks: Sequence[Block], values: dict[str, str] | None) -> list[Disagreement]:
    """Return every disagreement of the agreement text with itself (and with the programme's date, if given)."""
    return (_numbers(blocks) + _names(blocks, (values or {}).get("recipient.government"))
            + _dates(blocks, (values or {}).get("signing.date")))


# -- numbers in words and figures ---------------------------------------------------------------


def _numbers(blocks: Sequence[Block]) -> list[Disagreement]:
    found = []
    for position, block in enumerate(blocks):
        text = block.accepted
        if "(" not in text:
            continue
        for figures in _FIGURES.finditer(text):
            words, value = words_before(text[max(0, figures.start() - 160):figures.start()])
            written = _figure_value(figures.group(1))
            if value is not None and written is not None and value != written:
                found.append(Disagreement(position, f"'{words}' in words but {figures.group(0)} in figures"))
    return found


def words_before(text: str) -> tuple[str, int | None]:
    """Return the number words ending ``text`` (currency words allowed after them) and their value."""
    words = _WORDS_BEFORE.findall(text)
    taken: list[str] = []
    for word in reversed(words):
        key = word.casefold()
        if key in _CURRENCY and not any(_is_number_word(w) for w in taken):
            taken.insert(0, word)
        elif _is_number_word(key) or (key == "and" and taken and _is_number_word(taken[0].casefold())):
            taken.insert(0, word)
        else:
            break
    while taken and taken[0].casefold() == "and":
        taken.pop(0)
    numbers = [w for w in taken if w.casefold() not in _CURRENCY]
    return " ".join(taken), number_from_words(numbers) if numbers else None


def _is_number_word(word: str) -> bool:
    return all(part in _UNITS or part in _TENS or part == "hundred" or part in _SCALES
               for part in word.casefold().split("-"))


def number_from_words(words: Sequence[str]) -> int | None:
    """Return the number that English ``words`` name ("six hundred million" -> 600000000), or None."""
    total = current = 0
    for word in (part for w in words for part in w.casefold().split("-")):
        if word in _UNITS or word in _TENS:
            current += _UNITS.get(word, 0) + _TENS.get(word, 0)
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _SCALES:
            total += (current or 1) * _SCALES[word]
            current = 0
        elif word != "and":
            return None
    return total + current


def _figure_value(figures: str) -> int | None:
    digits = figures.replace(",", "")
    try:
        value = float(digits)
    except ValueError:
        return None
    return int(value) if value.is_integer() else None


# -- the recipient's name -----------------------------------------------------------------------


def _names(blocks: Sequence[Block], expected: str | None) -> list[Disagreement]:
    named: dict[str, str] = {}
    mentions = [(position, named.get(m.group(1)) or named.setdefault(m.group(1), _name(m.group(1))))
                for position, block in enumerate(blocks) if "Government of" in block.accepted
                for m in _GOVERNMENT.finditer(block.accepted)]
    mentions = [(p, name) for p, name in mentions if name and name != "Japan"]
    if not mentions:
        return []
    usual = _name(expected.removeprefix("Government of ")) if expected else Counter(
        n for _, n in mentions).most_common(1)[0][0]
    country = usual.split()[-1]
    return [Disagreement(p, f"the recipient Government is named 'the Government of {name}' here, 'the Government "
                            f"of {usual}' elsewhere") for p, name in mentions
            if name != usual and name.split()[-1] == country]


def _name(text: str) -> str:
    words = text.split()
    while words and words[-1] in ("of", "the", "and"):
        words.pop()
    return " ".join(words).rstrip(".")


# -- the signing date ---------------------------------------------------------------------------


def _dates(blocks: Sequence[Block], expected: str | None) -> list[Disagreement]:
    lines = [(p, m) for p, b in enumerate(blocks) if len(b.accepted) < 100 and (m := _DATE_LINE.match(b.accepted))]
    found = []
    first = None
    for position, line in lines:
        day, month, year = int(line.group(1)), _MONTHS.index(line.group(2).casefold()) + 1, int(line.group(3))
        written = f"{line.group(1)} {line.group(2)} {line.group(3)}"
        try:
            date = dt.date(year, month, day)
        except ValueError:
            found.append(Disagreement(position, f"the Note is dated '{written}', which is not a date"))
            continue
        if expected and written.casefold() != expected.casefold():
            found.append(Disagreement(position, f"the Note is dated '{written}', the programme's signing date is "
                                                f"'{expected}'"))
        elif first is not None and date != first[1]:
            found.append(Disagreement(position, f"the Note is dated '{written}' here and '{first[0]}' in its "
                                                "first date line"))
        first = first or (written, date)
    return found
