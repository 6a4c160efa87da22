"""docs/maintainers.md is true: following it step by step, in a fresh clone of the repository, works as shown.

The guide is read as a script: ```console blocks are commands (``$ osa ...``,
``$ git ...``) with the output they show (``...`` skips lines; ``$ echo $?``
gives the exit status of the command before, 0 otherwise); ```yaml blocks with
``title="PATH"`` are files the reader writes; ``<!-- guide-test: ... -->``
comments stand for what the reader does in Word.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field

import pytest

from osa_agreements.cli import main

from .conftest import REPO
from .template_edits import add_clause_control

GUIDE = REPO / "docs" / "maintainers.md"
FENCE = re.compile(r"^```(\S*)(.*)$")
TITLE = re.compile(r'title="([^"]+)"')
WORD_STEP = re.compile(r"^<!-- guide-test: add-clause-control (\S+) after (\S+) in (.+) -->$")


@dataclass
class Command:
    line: str
    expected: list[str] = field(default_factory=list)
    status: int = 0


@dataclass(frozen=True)
class WriteFile:
    path: str
    text: str


@dataclass(frozen=True)
class WordStep:
    clause_id: str
    after: str
    files: tuple[str, ...]


def guide_steps(text: str) -> list:
    """Return the guide's steps in order: commands, files to write, steps done in Word."""
    steps, lines, position = [], text.splitlines(), 0
    while position < len(lines):
        fence = FENCE.match(lines[position])
        if fence is None:
            word = WORD_STEP.match(lines[position].strip())
            if word:
                steps.append(WordStep(word.group(1), word.group(2), tuple(word.group(3).split())))
            position += 1
            continue
        end = lines.index("```", position + 1)
        steps += _block_steps(fence.group(1), fence.group(2), lines[position + 1:end])
        position = end + 1
    return steps


def _block_steps(language: str, info: str, body: list[str]) -> list:
    title = TITLE.search(info)
    if language == "yaml" and title:
        return [WriteFile(title.group(1), "\n".join(body) + "\n")]
    if language != "console":
        return []
    commands: list[Command] = []
    for line in body:
        if line.startswith("$ echo $?"):
            commands[-1].status = -1  # the next output line gives it
        elif line.startswith("$ "):
            commands.append(Command(line[2:]))
        elif commands and commands[-1].status == -1:
            commands[-1].status = int(line)
        elif commands:
            commands[-1].expected.append(line)
    return commands


@pytest.fixture
def checkout(tmp_path, monkeypatch):
    """Return a fresh clone of this repository, with the working tree's library, templates and examples.

    The clone brings only what git has (no release tags are made here), so the
    guide's release commands must find the releases as a new maintainer's clone does.
    """
    if not (REPO / ".git").exists():
        pytest.skip("the guide is followed in a clone of the git repository; this is not a checkout")
    root = tmp_path / "checkout"
    for name, value in {"GIT_AUTHOR_NAME": "Maintainer", "GIT_AUTHOR_EMAIL": "maintainer@example.org",
                        "GIT_COMMITTER_NAME": "Maintainer", "GIT_COMMITTER_EMAIL": "maintainer@example.org",
                        "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"), "GIT_CONFIG_NOSYSTEM": "1"}.items():
        monkeypatch.setenv(name, value)
    subprocess.run(["git", "clone", "--quiet", "--no-tags", str(REPO), str(root)], check=True, capture_output=True)
    for folder in ("clause_library", "templates", "examples"):  # uncommitted work is what is being tested
        shutil.rmtree(root / folder)
        shutil.copytree(REPO / folder, root / folder)
    monkeypatch.chdir(root)
    return root


def run(command: Command, capsys) -> tuple[int, str]:
    """Run one command of the guide; return its exit status and everything it printed."""
    argv = shlex.split(command.line)
    if argv[0] == "osa":
        status = main(argv[1:])
        captured = capsys.readouterr()
        return status, captured.out + captured.err
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    return done.returncode, done.stdout + done.stderr


def assert_shows(expected: list[str], output: str, command: str) -> None:
    """Assert that the output has the guide's lines, in order (``...`` stands for any lines)."""
    actual = [" ".join(line.split()) for line in output.splitlines()]
    position = 0
    for line in (" ".join(e.split()) for e in expected if e.strip() and e.strip() != "..."):
        assert line in actual[position:], f"`{command}` did not print:\n{line}\n--- it printed:\n{output}"
        position = actual.index(line, position) + 1


def test_the_guide_has_commands_files_and_word_steps():
    steps = guide_steps(GUIDE.read_text(encoding="utf-8"))
    kinds = {type(step) for step in steps}
    assert kinds == {Command, WriteFile, WordStep}
    lines = [step.line for step in steps if isinstance(step, Command)]
    for command in ("osa library list", "osa library show", "osa library new", "osa library validate",
                    "osa library diff", "osa templates --templates templates validate",
                    "osa templates --templates templates preview"):
        assert any(line.startswith(command) for line in lines), command


def test_following_the_guide_adds_a_clause_and_a_variant_changes_templates_and_releases(checkout, capsys):
    for step in guide_steps(GUIDE.read_text(encoding="utf-8")):
        if isinstance(step, WriteFile):
            (checkout / step.path).write_text(step.text, encoding="utf-8")
        elif isinstance(step, WordStep):
            for name in step.files:
                add_clause_control(checkout / name, step.clause_id, step.after)
        else:
            status, output = run(step, capsys)
            assert status == step.status, f"`{step.line}` exited {status}:\n{output}"
            assert_shows(step.expected, output, step.line)
    tags = subprocess.run(["git", "tag"], capture_output=True, text=True, check=True).stdout.split()
    assert "library-1.2.0" in tags
    assert (checkout / "preview.docx").is_file()
