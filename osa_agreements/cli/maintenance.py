"""Commands for template maintainers: osa library ..., osa templates validate | preview.

Each command parses its options, calls one library function and prints the
result; problems are raised as LibraryError / TemplateError, which ``cli.main``
shows one per line, exiting with status 2.
"""

from __future__ import annotations

from pathlib import Path

import click

FOLDER = click.Path(path_type=Path)
LIBRARY_DIR = click.option(
    "--library", "library_dir", type=FOLDER, default=None, metavar="DIR", envvar="OSA_LIBRARY",
    help="Clause library folder. Default: $OSA_LIBRARY, else the one that ships with osa.")
TEMPLATE_LIBRARY_DIR = click.option(
    "--library", "library_dir", type=FOLDER, default=None, metavar="DIR", envvar="OSA_LIBRARY",
    help="Clause library folder. Default: $OSA_LIBRARY, else clause_library/ beside the templates folder, "
         "else the shipped one.")
TEMPLATES_DIR = click.option(
    "--templates", "templates_dir", type=FOLDER, default=None, metavar="DIR",
    help="Templates folder (with templates.yaml). Default: the one given to `osa templates`, else "
         "$OSA_TEMPLATES, else the shipped one.")
EXAMPLES_DIR = click.option(
    "--examples", "examples_dir", type=FOLDER, default=None, metavar="DIR",
    help="Folder of example programmes (*.yaml). Default: examples/ beside the templates folder.")


@click.group()
def library() -> None:
    """Inspect, validate and extend the clause library (for template maintainers).

    \b
    osa library list              every clause: id, version, mandatory, basis, title
    osa library show ID           one clause: text, placeholders, alternatives, history
    osa library validate [DIR]    every problem of the library, one per line
    osa library new ID            the skeleton of a new clause, ready to edit
    osa library diff OLD NEW      clause-level changes between two versions
    """


@library.command("list")
@LIBRARY_DIR
def library_list(library_dir) -> None:
    """List every clause: id, version, mandatory, basis in the Guidelines, title."""
    from osa_agreements.library.upkeep import list_clauses
    from osa_agreements.reports.library_text import clause_table

    click.echo(clause_table(list_clauses(library_dir)), nl=False)


@library.command("show")
@click.argument("clause_id", metavar="ID")
@LIBRARY_DIR
def library_show(clause_id, library_dir) -> None:
    """Show clause ID: its text, placeholders, approved alternative wordings and history."""
    from osa_agreements.library.upkeep import find_clause
    from osa_agreements.reports.library_text import clause_details

    click.echo(clause_details(find_clause(library_dir, clause_id)), nl=False)


@library.command("validate")
@click.argument("directory", type=FOLDER, required=False, metavar="[DIR]", envvar="OSA_LIBRARY")
def library_validate(directory) -> None:
    """Validate the clause library in DIR (default: $OSA_LIBRARY, else the shipped one); exit 2 if any problem.

    Checks each file against schemas/ (with file, line and field), duplicate ids,
    that the five mandatory clauses are present and mandatory, placeholders,
    the basis in the Guidelines, essential terms kept by every approved
    alternative, and that each history ends with the current version.
    """
    from osa_agreements.library.upkeep import validate_library

    validation = validate_library(directory)
    validation.raise_for_problems()
    found = validation.library
    click.echo(f"{found.path}: {len(found.clauses)} clauses, library version {found.version}: no problems")


@library.command("new")
@click.argument("clause_id", metavar="ID")
@click.option("--basis", required=True, metavar="SECTION",
              help="Section of the Implementation Guidelines for OSA the clause implements, e.g. 3(3)(c).")
@click.option("--title", default=None, help="Title of the clause. Default: made from ID.")
@LIBRARY_DIR
def library_new(clause_id, basis, title, library_dir) -> None:
    """Write the skeleton of clause ID into the library's clauses/ folder, ready to edit.

    The skeleton validates as it is; write its wording before a template uses it.
    """
    from osa_agreements.library.upkeep import new_clause

    path = new_clause(clause_id, basis, title, library_dir)
    click.echo(f"{path}: new clause {clause_id}; write its wording, then run osa library validate")


@library.command("diff")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("--check", is_flag=True,
              help="Exit 2 unless NEW is ready for release: valid, changed clauses and the library with new versions.")
def library_diff(old, new, check) -> None:
    """List the clause-level changes from library OLD to NEW, with a word diff of each changed field.

    OLD and NEW are library folders or git revisions of the repository you are
    in: REV means its clause_library/ folder, REV:PATH another folder.
    Removed words show as [-...-], added words as {+...+}.
    """
    from osa_agreements.library.diff import diff_libraries
    from osa_agreements.reports.library_text import library_diff_text

    found = diff_libraries(old, new)
    click.echo(library_diff_text(found), nl=False)
    if check:
        found.raise_for_problems()
    for line in found.problems:
        click.echo(f"note: {line}", err=True)


@click.command("validate")
@click.argument("names", nargs=-1, metavar="[NAME]...")
@TEMPLATES_DIR
@TEMPLATE_LIBRARY_DIR
@EXAMPLES_DIR
@click.pass_context
def templates_validate(ctx, names, templates_dir, library_dir, examples_dir) -> None:
    """Validate the Word templates (or those named); one line per problem, exit 2 if any.

    Each template must open, use only programme values, hold every mandatory
    clause and those its document needs, avoid docxtpl's traps (a tag split
    across runs, a broken tag, escaping turned off, loop numbering that does not
    continue) and render with every example programme.
    """
    from osa_agreements.reports.library_text import validation_summary
    from osa_agreements.drafting.template_checks import validate_templates

    templates_dir = templates_dir or ctx.parent.params.get("templates_dir")
    validation = validate_templates(templates_dir, tuple(names), library_dir, examples_dir)
    for note in validation.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(validation_summary(validation), nl=False)
    validation.raise_for_problems()


@click.command("preview")
@click.argument("name", metavar="NAME")
@click.option("--output", "-o", type=FOLDER, default=None, metavar="OUT.docx",
              help="Where to write the preview. Default: NAME-preview.docx in the current folder.")
@click.option("--programme", "-p", "programme_path", type=FOLDER, default=None, metavar="P.yaml",
              help="Programme to render with. Default: the first example programme.")
@click.option("--force", is_flag=True, help="Overwrite the preview if it exists.")
@TEMPLATES_DIR
@TEMPLATE_LIBRARY_DIR
@EXAMPLES_DIR
@click.pass_context
def templates_preview(ctx, name, output, programme_path, force, templates_dir, library_dir, examples_dir) -> None:
    """Render template NAME with an example programme, for a quick look in Word."""
    from osa_agreements.drafting.template_checks import preview_template

    templates_dir = templates_dir or ctx.parent.params.get("templates_dir")
    preview = preview_template(name, output, programme_path, templates_dir, library_dir, examples_dir, force)
    click.echo(f"{preview.path}  ({preview.template} with {preview.programme})")
