"""Errors a user can act on.

Every error fpgaflow raises on purpose is an ``FpgaflowError``: it carries where the
problem is (file, line, key), what was expected, and a hint. The CLI prints it in one
line and exits with its ``exit_code``; it never shows a traceback for bad input.

Exit codes (DESIGN.md): 0 success, 1 the design failed, 2 bad usage or bad input.
"""

from __future__ import annotations


class FpgaflowError(Exception):
    """Bad input or usage: exit code 2."""

    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 key: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.key = key
        self.hint = hint

    def location(self) -> str:
        where = ""
        if self.file:
            where = str(self.file)
            if self.line:
                where += f":{self.line}"
        return where

    def __str__(self) -> str:
        parts = [p for p in (self.location(), self.key and f"{self.key}") if p]
        head = ": ".join(parts)
        text = f"{head}: {self.message}" if head else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class DesignFailed(FpgaflowError):
    """The design failed (tool error, gate failed, timing failed): exit code 1."""

    exit_code = 1


class ToolMissing(FpgaflowError):
    """A tool the user insisted on is not installed: exit code 2 (usage)."""

    exit_code = 2
