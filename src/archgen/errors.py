"""archgen's one error hierarchy. The CLI turns these into exit codes.

- :class:`ModelError` is one problem in a model, with FILE:LINE:COLUMN.
- :class:`ModelErrors` carries every problem of a run at once (exit 2).
- :class:`UsageError` is a misused command (exit 2).
- :class:`OutputError` is the operating system refusing a write (exit 2).

:func:`checkpoint` marks the points where the crash harness of the tests stops archgen.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


@dataclass(frozen=True, order=True)
class Location:
    """A position in a source file; line and column are 1-based."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


class ArchgenError(Exception):
    """Base of every error archgen reports without a traceback."""

    exit_code = EXIT_BAD_INPUT


class ModelError(ArchgenError):
    """One problem in a model file."""

    def __init__(self, location: Location, message: str) -> None:
        super().__init__(f"{location}: {message}")
        self.location = location
        self.message = message

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class ModelErrors(ArchgenError):
    """All the problems found, reported together."""

    def __init__(self, errors: list[ModelError]) -> None:
        self.errors = sorted(errors, key=lambda e: (e.location, e.message))
        super().__init__("\n".join(str(e) for e in self.errors))


class UsageError(ArchgenError):
    """The command was misused (bad option, missing path)."""


class OutputError(ArchgenError):
    """The operating system refused a read or write (disk full, read-only, no permission):
    one line and exit 2; outputs are left as they were."""


def os_error_message(exc: OSError) -> str:
    """One line for an operating-system error: what, where, and that nothing was lost."""
    what = exc.strerror or str(exc)
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}{what.lower() if what[:1].isupper() and what[1:2].islower() else what}; outputs were left as they were"


def checkpoint(name: str) -> None:
    """A point where the crash harness of the tests kills (``ARCHGEN_TEST_KILL_AT=name``)
    or interrupts (``ARCHGEN_TEST_INTERRUPT_AT=name``) archgen, to prove that what was
    there before, or what was meant to replace it, is whole afterwards."""
    if os.environ.get("ARCHGEN_TEST_KILL_AT") == name:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get("ARCHGEN_TEST_INTERRUPT_AT") == name:
        import signal

        os.kill(os.getpid(), signal.SIGINT)
