"""Loading YAML that users write: safely, within bounds, with line numbers for errors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import InputFileError

MAX_YAML_BYTES = 1_000_000
MAX_YAML_DEPTH = 32
MAX_YAML_NODES = 200_000


MAX_FAST_NESTING = 2000
"""Files that may nest deeper than this are composed by PyYAML's Python code, never libyaml's."""
_NESTING_MARKS = "[{-?:"


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as the strings the user wrote (schemas check them)."""


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The same on libyaml, when PyYAML has it: several times faster."""


_Loader.yaml_implicit_resolvers = _FastLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class YamlDocument:
    """A loaded YAML file: its data and the line of each value, by path of keys and indexes."""

    path: Path
    data: object
    lines: dict[tuple, int]

    def line_of(self, location: tuple) -> int | None:
        """Return the 1-based line of the value at ``location``, or of its nearest parent."""
        location = tuple(location)
        while location not in self.lines and location:
            location = location[:-1]
        return self.lines.get(location)


def load_yaml(path: Path, what: str = "YAML file") -> YamlDocument:
    """Return the YAML document at ``path``; raise InputFileError for anything unreadable."""
    path = Path(path)
    text = _read_text(path, what)
    loader = _loader_for(text)
    try:
        node = loader.get_single_node()
        _check_shape(path, node)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise InputFileError(f"{path}: not valid YAML: {_describe(exc)}") from exc
    except RecursionError as exc:
        raise InputFileError(f"{path}: YAML nested deeper than {MAX_YAML_DEPTH} levels; "
                             f"a {what} is a shallow file") from exc
    finally:
        loader.dispose()
    return YamlDocument(path, data, _line_map(node))


def _loader_for(text: str):
    """Return the libyaml loader when ``text`` cannot nest deeper than MAX_FAST_NESTING, else PyYAML's.

    libyaml's composer recurses in C and would crash on a file nested hundreds of
    thousands deep, where Python's raises RecursionError. Every level of nesting
    needs one of ``[ { - ? :``, so their number bounds the depth.
    """
    marks = sum(text.count(mark) for mark in _NESTING_MARKS)
    return (_FastLoader if marks <= MAX_FAST_NESTING else _Loader)(text)


def _read_text(path: Path, what: str) -> str:
    if path.is_dir():
        raise InputFileError(f"{path}: is a directory; give the {what} itself")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_YAML_BYTES + 1)
    except FileNotFoundError as exc:
        raise InputFileError(f"{path}: no such file; check the path of the {what}") from exc
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read: {exc.strerror}") from exc
    if len(raw) > MAX_YAML_BYTES:
        raise InputFileError(f"{path}: larger than {MAX_YAML_BYTES:,} bytes; a {what} is a small file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{path}: not UTF-8 text; save the {what} as UTF-8") from exc


def _check_shape(path: Path, root) -> None:
    """Refuse aliases (exponential expansion), deep nesting and huge node counts."""
    seen: set[int] = set()
    stack = [(root, 1)] if root is not None else []
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            raise InputFileError(f"{path}: YAML anchors and aliases are not allowed; write values out")
        seen.add(id(node))
        if depth > MAX_YAML_DEPTH or len(seen) > MAX_YAML_NODES:
            raise InputFileError(f"{path}: YAML nested deeper than {MAX_YAML_DEPTH} levels or too large")
        stack.extend((child, depth + 1) for child in _children(node))


def _children(node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _line_map(root) -> dict[tuple, int]:
    lines: dict[tuple, int] = {}
    stack = [((), root)] if root is not None else []
    while stack:
        location, node = stack.pop()
        lines[location] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            stack.extend((location + (key.value,), value) for key, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((location + (i,), value) for i, value in enumerate(node.value))
    return lines


def _describe(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return f"line {mark.line + 1}: {problem}" if mark else problem
