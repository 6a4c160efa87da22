"""The catalogue of Word templates that ``osa draft`` can use (``templates/templates.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from osa_agreements.errors import TemplateError
from osa_agreements.files.resources import data_dir
from osa_agreements.files.json_schemas import schema_problems
from osa_agreements.files.yaml_files import load_yaml

DOCUMENT_CLAUSES = {
    "note": ("entry-into-force",),
    "reply": ("reply-opening", "entry-into-force", "reply-confirmation"),
}
"""Clauses each kind of document needs besides the library's mandatory ones.

Japan's Note must propose that the two Notes constitute an agreement; the reply
quotes the Note (proposal included) and confirms it. Without these there is no
Exchange of Notes, so ``osa templates validate`` refuses a template lacking one.
"""


@dataclass(frozen=True)
class Template:
    """One Word template: its name, file, and the document it makes (``note`` or ``reply``)."""

    name: str
    path: Path
    document: str
    description: str


def default_templates_dir() -> Path:
    """Return the templates folder that ships with the toolkit."""
    return data_dir("templates")


def load_catalog(directory: Path | None = None) -> tuple[Template, ...]:
    """Return the templates listed in ``directory``/templates.yaml, in catalogue order."""
    directory = Path(directory) if directory is not None else default_templates_dir()
    document = load_yaml(directory / "templates.yaml", "template catalogue")
    problems = schema_problems(document, "templates.schema.json")
    if problems:
        raise TemplateError(f"{document.path}: invalid template catalogue", tuple(problems))
    return tuple(
        Template(t["name"], directory / t["file"], t["document"], t["description"])
        for t in document.data["templates"]
    )


def find_template(catalog: tuple[Template, ...], name: str) -> Template:
    """Return the template called ``name``; raise TemplateError naming the known ones."""
    for template in catalog:
        if template.name == name:
            return template
    known = ", ".join(t.name for t in catalog)
    raise TemplateError(f"no template called '{name}'; the templates are: {known} (see: osa templates)")
