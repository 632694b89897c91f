"""The one error type users see.

Every module raises a subclass of :class:`PracticeError` for a problem the user can act on. Its
message is one line that says what went wrong and where (file, line, field); the CLI and the TUI
print it as it is, never a traceback.
"""


class PracticeError(Exception):
    """A problem the user can act on, described in one line."""


def one_line(error: object) -> str:
    """An error (or any message) as one line: its message's first line, else its type's name."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
