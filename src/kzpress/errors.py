"""The errors a user can cause. The CLI prints their message as one line and exits 1."""


class KzpressError(Exception):
    """A problem with the user's input or setup; the message names the file and what to do."""


class InputError(KzpressError):
    """A seed, metadata file or translation cannot be read or makes no sense."""


class ValidationError(KzpressError):
    """A built output does not pass its validator."""
