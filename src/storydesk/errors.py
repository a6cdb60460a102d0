"""One catalogue of errors and reason codes.

Three kinds of failure (see STYLE.md):
- bad settings raise :class:`SettingsError` at once, with a message that names the fix;
- a bad input item raises :class:`InputError` inside a stage; the stage records it with its reason code,
  counts it and the run goes on;
- a bug raises whatever it raises.
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """Stable reason codes for inputs that were skipped or failed."""

    NOT_FOUND = "not_found"
    UNREADABLE = "unreadable"
    BINARY = "binary"
    EMPTY = "empty"
    ENCODING = "bad_encoding"
    TOO_LARGE = "too_large"
    BAD_JSON = "bad_json"
    BAD_RECORD = "bad_record"
    UNSUPPORTED = "unsupported_format"
    NO_TEXT = "no_main_text"
    DUPLICATE_ID = "duplicate_id"
    FETCH_FAILED = "fetch_failed"
    INTERNAL = "internal_error"


class StorydeskError(Exception):
    """Base class for errors raised by storydesk."""


class SettingsError(StorydeskError, ValueError):
    """The settings are wrong; the message says which key and how to fix it."""


class InputError(StorydeskError):
    """One input cannot be used; the run records it and goes on."""

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return f"{self.reason.value}: {self.message}"


class MissingExtraError(StorydeskError, ImportError):
    """An optional dependency is not installed; the message gives the pip line."""

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(
            f"{package} is not installed; install it with: pip install 'storydesk[{extra}]'"
        )
