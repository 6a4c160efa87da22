"""The ``osa`` command: parse options, call one library function, print the result.

The catch point is ``osa_agreements.cli.main``; nothing here handles an error.
"""

from __future__ import annotations

from pathlib import Path

import click

from osa_agreements import __version__

INPUT_PATH = click.Path(path_type=Path)
"""A file or folder the user gives; its existence is checked by the library, which names it in the error."""
LIBRARY_OPTION = click.option(
    "--library", "library_dir", type=click.Path(path_type=Path), default=None, envvar="OSA_LIBRARY",
    help="Clause library folder to use instead of the one that ships with osa (default: $OSA_LIBRARY).")
TEMPLATES_OPTION = click.option(
    "--templates", "templates_dir", type=click.Path(path_type=Path), default=None, envvar="OSA_TEMPLATES",
    help="Templates folder (with templates.yaml) to use instead of the shipped one (default: $OSA_TEMPLATES).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="osa")
def cli() -> None:
    """Draft and check the Exchange of Notes of Japan's Official Security Assistance (OSA).

    \b
    osa draft      turn a programme file into the Word Notes
    osa check      check received drafts: is every mandatory clause still there?
    osa compare    compare the draft sent with the draft received: a Word redline
    osa templates  list the Word templates; validate or preview them
    osa library    list, show, validate, diff and extend the clause library

    \b
    Data that passed validation is remembered, so that it is not validated again:
    in $OSA_CACHE_DIR, else $XDG_CACHE_HOME/osa-agreements or ~/.cache/osa-agreements.
    OSA_CACHE_DIR= (empty) turns this off.
    """


@cli.command()
@click.argument("programmes", nargs=-1, required=True, type=INPUT_PATH, metavar="PROGRAMME.yaml...")
@click.option("--template", "-t", "template_names", multiple=True, metavar="NAME",
              help="Draft only this template (repeatable; see `osa templates`). Default: every template.")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None, metavar="OUT.docx",
              help="Write the Note to this file (one programme and one --template only).")
@click.option("--out-dir", "-d", type=click.Path(path_type=Path), default=None, metavar="DIR",
              help="Folder for the Notes, named PROGRAMME-TEMPLATE.docx. Default: the current folder.")
@click.option("--force", is_flag=True, help="Overwrite Notes that already exist.")
@LIBRARY_OPTION
@TEMPLATES_OPTION
def draft(programmes, template_names, output, out_dir, force, library_dir, templates_dir) -> None:
    """Draft the Word Notes of each PROGRAMME.yaml from the clause library.

    Every mandatory clause is verified in each Note before anything is written;
    a failure leaves no file behind, and an existing file is kept unless --force.
    """
    from osa_agreements.api import draft as draft_notes

    notes = draft_notes(programmes, templates=template_names, output=output, out_dir=out_dir, force=force,
                        library=library_dir, templates_dir=templates_dir)
    for note in notes:
        click.echo(f"{note.path}  ({note.template}, library {note.library_version}, {note.size:,} bytes)")


def _limits(ctx, param, settings):
    """Return the Limits that ``--limit NAME=VALUE`` settings make, or raise a usage error."""
    from osa_agreements.api import limits_from

    try:
        return limits_from(settings)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


@cli.command()
@click.argument("drafts", nargs=-1, required=True, type=INPUT_PATH, metavar="DRAFT_OR_DIR...")
@click.option("--programme", "-p", "programme_path", type=INPUT_PATH, default=None, metavar="P.yaml",
              help="Require the placeholders to hold this programme's values.")
@LIBRARY_OPTION
@click.option("--format", "-f", "report_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Report for people (text) or for tools (json).")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None, metavar="REPORT",
              help="Write the report to this file instead of standard output.")
@click.option("--annotate", "annotate_path", type=click.Path(path_type=Path), default=None, metavar="OUT",
              help="Write a copy of each draft that does not pass with a comment to the counterpart on each "
                   "material change and missing clause. One draft: OUT is the file; several: a folder "
                   "(made if missing) of DRAFT-annotated.docx.")
@click.option("--restore", "restore_path", type=click.Path(path_type=Path), default=None, metavar="OUT",
              help="Write a copy of each draft that does not pass with every missing or modified mandatory "
                   "clause put back in the agreed wording, as tracked changes with a comment each. "
                   "One draft: OUT is the file; several: a folder of DRAFT-restored.docx.")
@click.option("--author", default=None, metavar="NAME",
              help="Author of the comments and tracked changes of --annotate and --restore. "
                   "Default: $OSA_AUTHOR.")
@click.option("--initials", default=None, metavar="TEXT",
              help="Initials shown with the comments. Default: $OSA_INITIALS, else those of the author.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Check this many drafts in parallel.")
@click.option("--limit", "limits", multiple=True, metavar="NAME=VALUE", callback=_limits,
              help="Change a bound on what one draft may cost (repeatable): file-mb (100), part-mb (100), "
                   "total-mb (200), members (2000), elements (5000000). See docs/security.md.")
@click.option("--force", is_flag=True, help="Overwrite the report or the copies if they exist.")
@click.pass_context
def check(ctx, drafts, programme_path, library_dir, report_format, output, annotate_path, restore_path, author,
          initials, jobs, limits, force) -> None:
    """Check received drafts: is every clause of the library still there and still binding?

    Folders are searched recursively for .docx files. The whole agreement is judged
    as it reads with every tracked change accepted: its clauses, the text added
    outside them, and any sentence that overrides a mandatory clause; page headers
    and footers are not agreement text. Exit status: 0 every draft says what the
    library says (every clause present, nothing added); 1 a clause modified or
    missing, a material finding, or text added; 2 a usage or input error (a file
    that cannot be read is reported and the others still checked).
    """
    from osa_agreements.api import check as check_drafts
    from osa_agreements.cli.terminal import Report, print_copies

    report = Report(report_format, output, force)
    with report.progress() as (on_start, on_done):
        run = check_drafts(drafts, library=library_dir, programme=programme_path, jobs=jobs, limits=limits,
                           annotate=annotate_path, restore=restore_path, author=author, initials=initials,
                           force=force, on_start=on_start, on_done=on_done)
    report.write(run)
    print_copies(run, wanted=annotate_path is not None or restore_path is not None)
    ctx.exit(run.exit_status)


@cli.command()
@click.argument("sent", type=INPUT_PATH, metavar="SENT.docx")
@click.argument("received", type=INPUT_PATH, metavar="RECEIVED.docx")
@click.option("--output", "-o", "redline", type=click.Path(path_type=Path), required=True, metavar="REDLINE.docx",
              help="Write the redline here: RECEIVED with every difference from SENT as a tracked change.")
@click.option("--author", default="Counterpart", show_default=True, metavar="NAME",
              help="Author of the changes RECEIVED does not track itself.")
@click.option("--format", "-f", "report_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Summary for people (text) or for tools (json).")
@LIBRARY_OPTION
@click.option("--limit", "limits", multiple=True, metavar="NAME=VALUE", callback=_limits,
              help="Change a bound on what one draft may cost (repeatable), as for osa check.")
@click.option("--force", is_flag=True, help="Overwrite REDLINE.docx if it exists.")
@click.pass_context
def compare(ctx, sent, received, redline, author, report_format, library_dir, limits, force) -> None:
    """Compare the draft sent with the draft received: write a Word redline and say what changed.

    REDLINE.docx is RECEIVED.docx with every difference from SENT.docx as a native
    tracked change (accept all: RECEIVED's text; reject all: SENT's). Changes that
    RECEIVED already tracks keep their authors and dates. The summary names each
    change's place and the library clause it falls in. The text compared is the text
    as signed (every tracked change accepted); headers and footers are listed apart.
    Exit status, as diff's: 0 the same text, 1 differences, 2 an error.
    """
    from osa_agreements.api import compare as compare_drafts
    from osa_agreements.reports.comparison_summary import json_summary, text_summary

    comparison = compare_drafts(sent, received, redline=redline, author=author, force=force, library=library_dir,
                                limits=limits)
    click.echo(json_summary(comparison) if report_format == "json" else text_summary(comparison), nl=False)
    ctx.exit(comparison.exit_status)


@cli.group(invoke_without_command=True)
@TEMPLATES_OPTION
@click.pass_context
def templates(ctx, templates_dir) -> None:
    """List the Word templates `osa draft` can use."""
    if ctx.invoked_subcommand is not None:
        return
    from osa_agreements.drafting.templates import load_catalog

    for template in load_catalog(templates_dir):
        click.echo(f"{template.name:<14} {template.document:<6} {template.description}")


def _register_maintenance_commands() -> None:
    """Add the template maintainers' commands (osa library ..., osa templates validate|preview)."""
    from osa_agreements.cli.maintenance import library, templates_preview, templates_validate

    cli.add_command(library)
    templates.add_command(templates_validate)
    templates.add_command(templates_preview)


_register_maintenance_commands()
