"""Errors that name what went wrong and where (source, file, line, column)."""

from __future__ import annotations


class ExtractError(Exception):
    """Base class for every error the extractors raise on purpose."""


class FetchError(ExtractError):
    """A download failed after its retries (HTTP error, timeout, or a body that is not data)."""

    def __init__(self, source: str, url: str, message: str, *, status: int | None = None):
        self.source = source
        self.url = url
        self.status = status
        super().__init__(f"[{source}] {url}: {message}")


class SessionExpired(FetchError):
    """A multi-step download found its session (cookies, token) expired; the platform starts a
    new session and runs the routine once more."""


class ParseError(ExtractError):
    """A file could not be read as the format it claims to be.

    The message always names the source, the file and, where known, the 1-based line and the
    column (by header name; a spreadsheet's sheet, row and column letter) so that a user can open the archived bytes and see the problem.
    """

    def __init__(
        self,
        source: str,
        file: str,
        message: str,
        *,
        line: int | None = None,
        column: str | None = None,
        line_word: str = "line",
    ):
        self.source = source
        self.file = file
        self.line = line
        self.column = column
        self.line_word = line_word
        self.reason = message
        where = file
        if line is not None:
            where += f", {line_word} {line}"  # 'row' for a spreadsheet
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"[{source}] {where}: {message}")


class ArchiveError(ExtractError):
    """The archive does not match its manifest: a changed, missing or unlisted file, or a
    manifest line that cannot be read. The message names the file (and line) and the fix."""
