"""The errors a user can cause. The CLI prints their message as one line and exits 1.

A message names the file (and the line or unit where known) and says what to do. What a user does not
need in order to act, such as the full output of a tool kzpress ran, goes in `detail`, which
`kzpress -v` shows.
"""


class KzpressError(Exception):
    """A problem with the user's input or setup; the message names the file and what to do."""

    def __init__(self, message: str, *, detail: str | None = None):
        super().__init__(message)
        self.detail = detail


class InputError(KzpressError):
    """A seed, metadata file or translation cannot be read or makes no sense."""


class ValidationError(KzpressError):
    """A built output does not pass its validator."""
