"""Validating data against the JSON Schemas in ``schemas/``, with messages people can act on."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING

from osa_agreements.files import cache
from osa_agreements.files.resources import schema_path
from osa_agreements.files.yaml_files import YamlDocument

if TYPE_CHECKING:
    import jsonschema

_VALID = "valid"


def load_schema(name: str) -> dict:
    """Return the JSON Schema ``name`` from the shipped ``schemas/`` folder."""
    return json.loads(_schema_text(name))


@lru_cache(maxsize=None)
def _schema_text(name: str) -> str:
    return schema_path(name).read_text(encoding="utf-8")


def schema_problems(document: YamlDocument, schema_name: str) -> list[str]:
    """Return one line per way ``document`` breaks the schema: ``file: field.path: problem (line N)``.

    Data that passed this schema before is not validated again (see ``cache``):
    checking a draft then needs neither jsonschema nor the time it takes to import.
    """
    key = cache.digest(schema_name, _schema_text(schema_name), repr(document.data))
    if cache.known(_VALID, key):
        return []
    import jsonschema

    schema = load_schema(schema_name)
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(document.data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    if not errors:
        cache.remember(_VALID, key)
    # Two rules broken by one value (a pattern and a format, say) can share a message: say it once.
    return list(dict.fromkeys(_format(document, error) for error in errors))


def _format(document: YamlDocument, error: jsonschema.ValidationError) -> str:
    location = tuple(error.absolute_path)
    if error.validator == "additionalProperties":
        return _unknown_fields(document, error)
    if error.validator == "required":
        location = location + (_quoted_name(error.message),)
    field = _dotted(location) or "(top level)"
    return f"{document.path}: {field}: {_message(error)}{_at_line(document, location)}"


def _unknown_fields(document: YamlDocument, error: jsonschema.ValidationError) -> str:
    location = tuple(error.absolute_path)
    extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
    allowed = ", ".join(sorted(error.schema.get("properties", {})))
    prefix = _dotted(location)
    names = ", ".join(f"{prefix}.{name}" if prefix else str(name) for name in extra)
    where = _at_line(document, location + tuple(extra[:1]))
    return f"{document.path}: {names}: unknown field; allowed here: {allowed}{where}"


def _at_line(document: YamlDocument, location: tuple) -> str:
    line = document.line_of(location)
    return f" (line {line})" if line else ""


def _message(error: jsonschema.ValidationError) -> str:
    custom = error.schema.get("x-message") if isinstance(error.schema, dict) else None
    if error.validator == "required":
        return "is required"
    if custom:
        return custom
    if error.validator == "type":
        return f"must be of type {error.validator_value}, not {type(error.instance).__name__}"
    if error.validator == "enum":
        return "must be one of " + ", ".join(map(str, error.validator_value))
    return error.message


def _quoted_name(message: str) -> str:
    return message.split("'")[1] if message.count("'") >= 2 else message


def _dotted(location: tuple) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
