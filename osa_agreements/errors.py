"""The one error hierarchy of the toolkit.

Every expected failure is an ``OsaError`` whose message tells the user which
file is at fault and what to do. The command line catches ``OsaError`` in one
place and exits with ``exit_code``; nothing else reaches the user as a traceback.
"""

from __future__ import annotations


class OsaError(Exception):
    """Base of every error the toolkit raises on purpose."""

    exit_code = 2

    def __init__(self, message: str, problems: tuple[str, ...] = ()):
        super().__init__(message)
        self.message = message
        self.problems = tuple(problems)

    def lines(self) -> list[str]:
        """Return what the CLI prints: one line per problem, or the message when there are none."""
        return list(self.problems) if self.problems else [self.message]


class InputFileError(OsaError):
    """A file given by the user cannot be read or is not what it should be."""


class ProgrammeError(InputFileError):
    """A programme description is invalid; ``problems`` has one line per field."""


class LibraryError(OsaError):
    """The clause library is invalid; ``problems`` has one line per problem."""


class TemplateError(OsaError):
    """A Word template cannot be used (missing, broken, or lacking a mandatory clause)."""


class DocumentError(InputFileError):
    """A .docx given for checking is not a readable Word document, or exceeds a limit."""


class OutputError(OsaError):
    """An output cannot be written (exists without --force, directory missing, ...)."""
