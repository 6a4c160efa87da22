"""List labels as Word displays them ("6.", "(a)"), and the style facts they depend on.

Word stores no label: it computes it from ``numbering.xml`` (levels, formats,
start values, overrides), from ``styles.xml`` (a paragraph style may carry the
numbering) and from how many paragraphs of the same list came before. Counters
belong to the abstract numbering definition, as in Word: two ``w:num`` sharing
one ``w:abstractNum`` continue each other's count, and a ``w:startOverride``
restarts it the first time its ``w:num`` is used. Anything odd or unknown gives
no label rather than a wrong one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from lxml import etree

from osa_agreements.ooxml.namespaces import W_ILVL, W_NUMID, W_NUMPR, W_PPR, W_RPR, W_VAL, W_VANISH, qn

_MAX_LEVEL = 8
_PLACEHOLDERS = tuple((level, f"%{level + 1}") for level in range(_MAX_LEVEL + 1))
_BASED_ON = qn("w:basedOn")
_FALSE_VALUES = frozenset({"0", "false", "off"})


def on_off(element: etree._Element | None) -> bool | None:
    """Return the value of a toggle property such as ``w:vanish``: None when absent."""
    return None if element is None else is_true(element.get(W_VAL, "true"))


def is_true(value: str | None) -> bool:
    """Return whether an OOXML on/off attribute value is on (absent counts as off)."""
    return value is not None and value.lower() not in _FALSE_VALUES


@dataclass(frozen=True)
class NumberingReference:
    """The list a paragraph belongs to: ``num_id`` and ``level``; ``style`` is the style that gave it."""

    num_id: str
    level: int | None
    style: str | None = None


@dataclass(frozen=True)
class _Style:
    based_on: str | None
    numbering: NumberingReference | None
    vanish: bool | None


class StyleSheet:
    """What the reader needs from ``styles.xml``: inherited numbering and hidden text."""

    def __init__(self, root: etree._Element | None):
        styles = dict(_styles(root)) if root is not None else {}
        self.default_paragraph_style = _default_paragraph_style(root)
        self.default_hidden = _default_vanish(root)
        self._hidden = {name: _inherited(styles, name, lambda s: s.vanish) for name in styles}
        self._numbering = {name: _inherited(styles, name, lambda s: s.numbering) for name in styles}
        self.hides_text = self.default_hidden or any(self._hidden.values())
        numbered = {name for name, reference in self._numbering.items() if reference is not None}
        self.numbered_styles = frozenset(numbered | ({None} if self.default_paragraph_style in numbered else set()))

    def defines(self, style_id: str) -> bool:
        """Return whether ``styles.xml`` defines style ``style_id``."""
        return style_id in self._hidden

    def hidden(self, style_id: str | None) -> bool | None:
        """Return whether style ``style_id`` (through ``basedOn``) hides text; None when it does not say."""
        return self._hidden.get(style_id) if style_id else None

    def paragraph_hidden(self, style_id: str | None) -> bool:
        """Return whether text in a paragraph of style ``style_id`` (None: the default) is hidden by default."""
        hidden = self.hidden(style_id or self.default_paragraph_style)
        return self.default_hidden if hidden is None else hidden

    def numbering(self, style_id: str | None) -> NumberingReference | None:
        """Return the numbering style ``style_id`` carries (through ``basedOn``), or None."""
        return self._numbering.get(style_id) if style_id else None


def _styles(root: etree._Element) -> Iterator[tuple[str, _Style]]:
    for style in root.iter(qn("w:style")):
        style_id = style.get(qn("w:styleId"))
        if style_id:
            yield style_id, _style(style, style_id)


def _style(style: etree._Element, style_id: str) -> _Style:
    based_on = numbering = vanish = None
    for child in style.iterchildren(_BASED_ON, W_PPR, W_RPR):
        if child.tag == _BASED_ON:
            based_on = child.get(W_VAL)
        elif child.tag == W_PPR:
            numpr = next(child.iterchildren(W_NUMPR), None)
            numbering = _reference(numpr, style_id) if numpr is not None else None
        else:
            vanish = on_off(next(child.iterchildren(W_VANISH), None))
    return _Style(based_on, numbering, vanish)


def _inherited(styles: dict[str, _Style], style_id: str, value: Callable[[_Style], object]) -> object:
    """Return the first value set along the ``basedOn`` chain of ``style_id``, or None."""
    seen: set[str] = set()
    current: str | None = style_id
    while current in styles and current not in seen:
        seen.add(current)
        found = value(styles[current])
        if found is not None:
            return found
        current = styles[current].based_on
    return None


def _default_paragraph_style(root: etree._Element | None) -> str | None:
    if root is None:
        return None
    for style in root.iter(qn("w:style")):
        if style.get(qn("w:type")) == "paragraph" and is_true(style.get(qn("w:default"))):
            return style.get(qn("w:styleId"))
    return None


def _default_vanish(root: etree._Element | None) -> bool:
    if root is None:
        return False
    vanish = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{W_RPR}/{W_VANISH}")
    return bool(on_off(vanish))


def _reference(numpr: etree._Element, style_id: str | None = None) -> NumberingReference | None:
    """Return the reference a ``w:numPr`` makes; None when it names no list."""
    values = {child.tag: child.get(W_VAL) for child in numpr}
    return NumberingReference(values.get(W_NUMID) or "", _integer(values.get(W_ILVL)), style_id)


def _integer(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Level:
    """One level of a list: counter start, number format, label template (``%1.``)."""

    start: int
    format: str
    text: str | None
    restart_after: int | None
    legal: bool
    style: str | None


def _level(lvl: etree._Element) -> Level:
    def value(name: str) -> str | None:
        child = lvl.find(qn(name))
        return child.get(W_VAL) if child is not None else None

    start = _integer(value("w:start"))
    return Level(
        start=start if start is not None else 0,
        format=value("w:numFmt") or "decimal",
        text=value("w:lvlText"),
        restart_after=_integer(value("w:lvlRestart")),
        legal=bool(on_off(lvl.find(qn("w:isLgl")))),
        style=value("w:pStyle"),
    )


@dataclass(frozen=True)
class ListDefinition:
    """A ``w:num`` resolved: the counter it shares (``abstract``), its levels, its restarts."""

    abstract: str
    levels: dict[int, Level]
    start_overrides: dict[int, int]


class NumberingDefinitions:
    """The lists of ``numbering.xml``, each ``w:num`` resolved to its levels."""

    def __init__(self, root: etree._Element | None, styles: StyleSheet):
        self._abstracts = _by_attribute(root, "w:abstractNum", "w:abstractNumId")
        self._nums = _by_attribute(root, "w:num", "w:numId")
        self._styles = styles
        self._resolved: dict[str, ListDefinition | None] = {}

    def definition(self, num_id: str) -> ListDefinition | None:
        """Return list ``num_id`` resolved, or None when it is missing or broken."""
        if num_id not in self._resolved:
            self._resolved[num_id] = self._resolve(num_id)
        return self._resolved[num_id]

    def _resolve(self, num_id: str) -> ListDefinition | None:
        num = self._nums.get(num_id)
        if num is None:
            return None
        abstract_id = self._follow_style_link(_child_value(num, "w:abstractNumId"))
        abstract = self._abstracts.get(abstract_id or "")
        if abstract is None:
            return None
        levels = _levels(abstract)
        starts: dict[int, int] = {}
        for override in num.iter(qn("w:lvlOverride")):
            _apply_override(override, levels, starts)
        return ListDefinition(abstract_id, levels, starts)

    def _follow_style_link(self, abstract_id: str | None) -> str | None:
        """Return the abstract list that holds the levels, following ``w:numStyleLink`` to its style."""
        for _ in range(4):
            abstract = self._abstracts.get(abstract_id or "")
            link = _child_value(abstract, "w:numStyleLink") if abstract is not None else None
            reference = self._styles.numbering(link)
            num = self._nums.get(reference.num_id) if reference is not None else None
            if num is None:
                return abstract_id
            abstract_id = _child_value(num, "w:abstractNumId")
        return None


def _by_attribute(root: etree._Element | None, tag: str, attribute: str) -> dict[str, etree._Element]:
    if root is None:
        return {}
    key = qn(attribute)
    return {element.get(key): element for element in root.iter(qn(tag)) if element.get(key) is not None}


def _child_value(element: etree._Element, tag: str) -> str | None:
    child = element.find(qn(tag))
    return child.get(W_VAL) if child is not None else None


def _levels(abstract: etree._Element) -> dict[int, Level]:
    levels = {}
    for lvl in abstract.iter(qn("w:lvl")):
        index = _integer(lvl.get(qn("w:ilvl")))
        if index is not None and 0 <= index <= _MAX_LEVEL:
            levels[index] = _level(lvl)
    return levels


def _apply_override(override: etree._Element, levels: dict[int, Level], starts: dict[int, int]) -> None:
    index = _integer(override.get(qn("w:ilvl")))
    if index is None or not 0 <= index <= _MAX_LEVEL:
        return
    lvl = override.find(qn("w:lvl"))
    if lvl is not None:
        levels[index] = _level(lvl)
    start = _integer(_child_value(override, "w:startOverride"))
    if start is not None:
        starts[index] = start
    elif lvl is not None:
        starts[index] = levels[index].start


class ListLabeller:
    """Counts numbered paragraphs in reading order and returns the label each displays.

    One labeller serves one part; feed it every paragraph of the accepted view, once.
    """

    def __init__(self, definitions: NumberingDefinitions, styles: StyleSheet):
        self._definitions = definitions
        self._styles = styles
        self._counters: dict[str, dict[int, int]] = {}
        self._started: set[str] = set()

    def label(self, style_id: str | None, numpr: etree._Element | None) -> str | None:
        """Return the label of a paragraph of style ``style_id`` with ``w:numPr`` ``numpr``; None when it has none."""
        if numpr is None and style_id not in self._styles.numbered_styles:
            return None  # the common case, kept cheap
        reference = paragraph_numbering(style_id, numpr, self._styles)
        if reference is None:
            return None
        definition = self._definitions.definition(reference.num_id)
        if definition is None:
            return None
        level = _level_index(reference, definition)
        if level not in definition.levels:
            return None
        counters = self._count(reference.num_id, definition, level)
        return render_label(definition, level, counters)

    def _count(self, num_id: str, definition: ListDefinition, level: int) -> dict[int, int]:
        counters = self._counters.setdefault(definition.abstract, {})
        if num_id not in self._started:
            self._started.add(num_id)
            for restarted in definition.start_overrides:
                counters.pop(restarted, None)
        counters[level] = counters[level] + 1 if level in counters else _start(definition, level)
        for deeper in [other for other in counters if other > level]:
            if _restarts(definition.levels.get(deeper), level):
                del counters[deeper]
        return counters


def paragraph_numbering(
    style_id: str | None, numpr: etree._Element | None, styles: StyleSheet
) -> NumberingReference | None:
    """Return the list a paragraph belongs to, from its ``w:numPr`` or its style; None when unnumbered."""
    inherited = styles.numbering(style_id or styles.default_paragraph_style)
    direct = _reference(numpr) if numpr is not None else None
    if direct is None:
        reference = inherited
    elif direct.num_id:
        reference = direct
    elif inherited is not None:
        reference = NumberingReference(inherited.num_id, direct.level, inherited.style)
    else:
        reference = None
    if reference is None or reference.num_id in ("", "0"):
        return None
    return reference


def _level_index(reference: NumberingReference, definition: ListDefinition) -> int:
    """Return the level of a paragraph; a style-given list without ``w:ilvl`` uses the level linked to the style."""
    if reference.level is not None:
        return reference.level
    for index, level in definition.levels.items():
        if reference.style is not None and level.style == reference.style:
            return index
    return 0


def _start(definition: ListDefinition, level: int) -> int:
    if level in definition.start_overrides:
        return definition.start_overrides[level]
    found = definition.levels.get(level)
    return found.start if found is not None else 0


def _restarts(level: Level | None, advanced: int) -> bool:
    """Return whether a counter restarts when the counter of the higher level ``advanced`` moves on."""
    if level is None or level.restart_after is None:
        return True
    return advanced < level.restart_after


def render_label(definition: ListDefinition, level: int, counters: dict[int, int]) -> str | None:
    """Return the label of ``level`` given the current ``counters``; None for bullets and unknown formats."""
    own = definition.levels[level]
    if own.format == "bullet" or own.text is None:
        return None
    label = own.text
    for placeholder, token in _PLACEHOLDERS:
        if token not in label:
            continue
        value = counters.get(placeholder, _start(definition, placeholder))
        shown_level = definition.levels.get(placeholder)
        fmt = "decimal" if own.legal or shown_level is None else shown_level.format
        shown = format_number(value, fmt)
        if shown is None:
            return None
        label = label.replace(token, shown)
    return label


def format_number(value: int, fmt: str) -> str | None:
    """Return ``value`` written in Word number format ``fmt``; None for a format not supported."""
    if fmt == "none":
        return ""
    formatter = _FORMATTERS.get(fmt)
    if formatter is None:
        return None
    return formatter(value) if value > 0 else str(value)


def _roman(value: int) -> str:
    numerals = (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    )  # fmt: skip
    written = []
    for amount, numeral in numerals:
        count, value = divmod(value, amount)
        written.append(numeral * count)
    return "".join(written)


def _letter(value: int) -> str:
    """Return Word's letter label: a..z, then aa..zz, then aaa.."""
    repeat, offset = divmod(value - 1, 26)
    return chr(ord("a") + offset) * (repeat + 1)


def _enclosed(first: str, last_value: int) -> Callable[[int], str]:
    return lambda value: chr(ord(first) + value - 1) if value <= last_value else str(value)


def _japanese_counting(value: int) -> str:
    """Return ``value`` in kanji numerals as Word's japaneseCounting writes it (十一, 二十, 百五)."""
    digits = "〇一二三四五六七八九"
    written = []
    for unit, name in ((1000, "千"), (100, "百"), (10, "十")):
        count, value = divmod(value, unit)
        if count:
            written.append(("" if count == 1 else digits[count]) + name)
    if value:
        written.append(digits[value])
    return "".join(written)


_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_FORMATTERS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda value: f"{value:02d}",
    "upperRoman": _roman,
    "lowerRoman": lambda value: _roman(value).lower(),
    "upperLetter": lambda value: _letter(value).upper(),
    "lowerLetter": _letter,
    "decimalFullWidth": lambda value: str(value).translate(_FULL_WIDTH),
    "decimalFullWidth2": lambda value: str(value).translate(_FULL_WIDTH),
    "decimalHalfWidth": str,
    "decimalEnclosedCircle": _enclosed("\u2460", 20),
    "decimalEnclosedParen": _enclosed("\u2474", 20),
    "decimalEnclosedFullstop": _enclosed("\u2488", 20),
    "japaneseCounting": lambda value: _japanese_counting(value) if value < 10000 else str(value),
}
