"""Exception hierarchy: every error a user can see carries a one-line message."""

from __future__ import annotations


class NatoreadError(Exception):
    """Base class for errors that are reported to the user as one line."""


class ConfigError(NatoreadError):
    """A problem in feeds.toml: names the file, the place (line/column or key path) and a fix."""

    def __init__(self, source: str, where: str, message: str) -> None:
        self.source = source
        self.where = where
        self.message = message
        place = f"{source}: {where}" if where else source
        super().__init__(f"{place}: {message}")


class FetchError(NatoreadError):
    """A feed could not be fetched (network, HTTP status, size or time limit)."""


class ParseError(NatoreadError):
    """Fetched bytes are not a usable feed."""


class StoreError(NatoreadError):
    """The SQLite store cannot be opened or written."""


def unexpected_error(stage: str, exc: BaseException) -> str:
    """One line for a failure nobody foresaw while `stage` ("polling", "reading the feed"):
    the exception's type and a bounded, sanitised message (it may echo feed data)."""
    from natoread.core.text.sanitize import clean_line

    detail = clean_line(str(exc), 200)
    name = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return f"internal error while {stage}: {name}"
