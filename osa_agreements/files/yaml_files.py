"""Loading YAML that users write: safely, within bounds, with line numbers for errors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from osa_agreements.errors import InputFileError

MAX_YAML_BYTES = 1_000_000
MAX_YAML_DEPTH = 32
MAX_YAML_NODES = 200_000


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as the strings the user wrote (schemas check them)."""


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The same on libyaml, when PyYAML has it: several times faster."""


LOADERS = (_FastLoader, _Loader)
"""The loader used (libyaml's where PyYAML has it), then PyYAML's own; both give the same errors."""

_OPENING = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSING = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


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


def load_yaml(path: Path, what: str = "YAML file", *, loader: type | None = None) -> YamlDocument:
    """Return the YAML document at ``path``; raise InputFileError for anything unreadable.

    ``loader`` is one of LOADERS (default: the first). The depth is measured on the
    parser's events before anything is composed, so a deeply nested file gets our
    error whichever loader runs and whatever nesting limit its build has.
    """
    path = Path(path)
    text = _read_text(path, what)
    loader_class = loader or LOADERS[0]
    try:
        _check_depth(path, text, loader_class, what)
        composer = loader_class(text)
        try:
            node = composer.get_single_node()
            _check_shape(path, node)
            data = composer.construct_document(node) if node is not None else None
        finally:
            composer.dispose()
    except yaml.YAMLError as exc:
        # Some libyaml builds stop deep nesting with an error of their own, while
        # scanning ahead; PyYAML's parser, which reads one event at a time, tells ours.
        _check_depth_of_invalid(path, text, what)
        raise InputFileError(f"{path}: not valid YAML: {_describe(exc)}") from exc
    return YamlDocument(path, data, _line_map(node))


def _check_depth(path: Path, text: str, loader_class: type, what: str) -> None:
    """Raise InputFileError as soon as the events of ``text`` open more than MAX_YAML_DEPTH collections."""
    depth = 0
    for event in yaml.parse(text, Loader=loader_class):
        depth += isinstance(event, _OPENING) - isinstance(event, _CLOSING)
        if depth > MAX_YAML_DEPTH:
            raise InputFileError(f"{path}: YAML nested deeper than {MAX_YAML_DEPTH} levels; "
                                 f"a {what} is a shallow file")


def _check_depth_of_invalid(path: Path, text: str, what: str) -> None:
    """Raise the depth error when invalid ``text`` nests too deep before its first error, else nothing."""
    try:
        _check_depth(path, text, _Loader, what)
    except yaml.YAMLError:
        pass  # the caller reports the loader's own error


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
