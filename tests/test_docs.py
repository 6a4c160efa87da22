"""The docs are true: every command has help and is in the README; the README's commands run."""

from __future__ import annotations

import shlex
import shutil

import click
import pytest

from osa_agreements.cli import main
from osa_agreements.cli.commands import cli

from .conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "osa"):
    for name, command in sorted(group.commands.items()):
        yield f"{prefix} {name}", command
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix} {name}")


COMMANDS = list(_commands(cli))


@pytest.mark.parametrize("name,command", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help_and_is_in_the_readme(name, command):
    assert (command.help or "").strip(), f"{name} has no help text"
    assert f"`{name}" in README, f"{name} is missing from the README's command table"
    for parameter in command.params:
        if isinstance(parameter, click.Option):
            assert (parameter.help or "").strip(), f"{name} {parameter.opts[0]} has no help text"


def readme_sessions() -> list[tuple[str, list[str]]]:
    """Return each ``$ osa ...`` line of the README's console blocks with the output shown under it."""
    sessions: list[tuple[str, list[str]]] = []
    inside = False
    for line in (raw.strip() for raw in README.splitlines()):
        if line.startswith("```"):
            inside = line == "```console"
        elif inside and line.startswith("$ "):
            sessions.append((line[2:], []))
        elif inside and sessions and line:
            sessions[-1][1].append(line)
    return sessions


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """A folder with the examples and an out/ folder, as after a fresh clone."""
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    (tmp_path / "out").mkdir()
    (tmp_path / "x.yaml").write_text(
        (REPO / "examples" / "philippines-2023-coastal-radar.yaml").read_text()
        .replace("amount_jpy: 600000000", "amount_jpy: -1").replace("field: a", "field: z"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_readme_sessions_run_as_shown(workspace, capsys):
    statuses = {}
    for command, shown in readme_sessions():
        statuses[command] = main(shlex.split(command)[1:])
        output = "".join(capsys.readouterr())
        assert "Traceback" not in output
        for line in shown:
            if "..." not in line:
                assert line.split()[0] in output, f"{command}: {line.split()[0]!r} not in output"
    assert statuses.pop("osa draft x.yaml") == 2
    assert statuses.pop("osa check examples/received/philippines-2023-japan-note-returned.docx") == 1
    assert statuses and all(s in (0, 1) for s in statuses.values()), statuses
